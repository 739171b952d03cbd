global using VideoNas.Core.Search;
global using Xunit;
global using static TorchSharp.torch;
