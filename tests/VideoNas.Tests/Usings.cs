global using VideoNas.Core.Search;
global using Xunit;
global using Xunit.Abstractions;
global using static TorchSharp.torch;

// The tests run where libtorch-cpu-linux-x64 runs.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
