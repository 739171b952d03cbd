global using VideoNas.Core.Search;
global using Xunit;
global using Xunit.Abstractions;
global using static TorchSharp.torch;
