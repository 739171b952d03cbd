namespace VideoNas.Core.Search;

/// <summary>Names of the manual baselines, known without loading the tensor library.</summary>
public static class Baselines
{
    public static readonly IReadOnlyList<string> Names = ["c3d", "p3d", "r2plus1d18", "r3d18"];

    /// <summary>Accepted spellings: the names plus <c>r2plus1d</c>.</summary>
    public static bool IsKnown(string name) => Names.Contains(name) || name == "r2plus1d";
}
