namespace VideoNas.Core.Selection;

/// <summary>
/// How a genotype is chosen from a trained supernet, by name; here, apart from their code, so the command line can
/// list them without loading libtorch.
/// </summary>
public static class SelectionMethods
{
    public const string Argmax = "argmax", Perturbation = "perturbation", PerturbationUniform = "perturbation_uniform", Evolution = "evolution";

    public static readonly IReadOnlyDictionary<string, string> Described = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Argmax] = "DARTS: each node's two strongest edges by softmax(α), each with its argmax operation (the reference)",
        [Perturbation] = "DARTS-PT: each edge keeps the operation whose removal hurts the supernet's α-split score most, w fine-tuned between decisions",
        [PerturbationUniform] = "DARTS-PT with α held uniform: the same, mixing every operation with weight 1/|primitives| instead of softmax(α)",
        [Evolution] = "SPOS: an evolutionary search over genotypes, scored by their sub-network's α-split accuracy with inherited weights",
    };

    public static IReadOnlyList<string> All => [.. Described.Keys];

    /// <summary>Why <paramref name="name"/> is no selection method, naming the known ones; null when it is one.</summary>
    public static string? Problem(string name) =>
        Described.ContainsKey(name) ? null : $"unknown selection method \"{name}\"; known: {string.Join(", ", All)}";

    /// <summary>One line per method, name then description, for a command's help.</summary>
    public static string Listing => string.Join("\n", Described.Select(m => $"  {m.Key,-21} {m.Value}"));
}
