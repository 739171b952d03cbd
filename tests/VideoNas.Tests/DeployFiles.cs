using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace VideoNas.Tests;

/// <summary>The repository's deployment files, read as YAML documents (kustomize output has several per stream).</summary>
public static class DeployFiles
{
    public static string Root { get; } = FindRoot();

    public static IReadOnlyList<YamlMappingNode> Read(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    public static YamlMappingNode ReadFile(string relativePath) => Read(File.ReadAllText(Path.Combine(Root, relativePath))).Single();

    /// <summary>`kubectl kustomize` of a folder, as CI renders it.</summary>
    public static IReadOnlyList<YamlMappingNode> Kustomize(string relativePath)
    {
        var info = new ProcessStartInfo("kubectl", ["kustomize", Path.Combine(Root, relativePath)])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var p = Process.Start(info) ?? throw new InvalidOperationException("could not start kubectl");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"kubectl kustomize {relativePath}: {stderr.Result}");
        return Read(stdout.Result);
    }

    /// <summary>The node at a path of keys and list indices, e.g. ("spec", "template", "spec", "containers", 0).</summary>
    public static YamlNode? At(this YamlNode node, params object[] path)
    {
        YamlNode? at = node;
        foreach (var step in path)
        {
            at = (at, step) switch
            {
                (YamlMappingNode map, string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null,
                (YamlSequenceNode list, int index) => index < list.Children.Count ? list.Children[index] : null,
                _ => null,
            };
            if (at is null) return null;
        }
        return at;
    }

    public static string? Text(this YamlNode node, params object[] path) => (node.At(path) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Items(this YamlNode node, params object[] path) =>
        node.At(path) is YamlSequenceNode list ? list.Children : [];

    /// <summary>A mapping's entries with YAML merge keys (<c>&lt;&lt;: *anchor</c>) expanded, its own entries winning.</summary>
    public static IReadOnlyDictionary<string, string> Merged(this YamlNode node)
    {
        var map = (YamlMappingNode)node;
        var merged = new Dictionary<string, string>();
        if (map.Children.TryGetValue(new YamlScalarNode("<<"), out var inherited))
            foreach (var (key, value) in inherited.Merged()) merged[key] = value;
        foreach (var (key, value) in map.Children.Where(e => e.Key.ToString() != "<<")) merged[key.ToString()] = value.ToString();
        return merged;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "VideoNas.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no VideoNas.sln above {AppContext.BaseDirectory}");
    }
}
