namespace VideoNas.Nas.Supernet;

/// <summary>
/// How an operation normalises its output. BatchNorm is the DARTS default; its statistics couple the
/// clips of a batch, so a data-parallel step on N shards of b clips differs (slightly) from one step on
/// N·b clips. The per-sample variant, a one-group GroupNorm (statistics over C×T×H×W of each clip),
/// removes that coupling, which makes the two exactly equivalent. It has no running statistics.
/// </summary>
public readonly record struct Norm(bool Affine, bool PerSample)
{
    public static Norm Batch => new(Affine: true, PerSample: false);

    public static Norm For(string normalization) => new(Affine: true, PerSample: normalization == Core.Search.SearchConfig.PerSampleNormalization);

    /// <summary>DARTS searches with affine-free normalisation: learned scales would blur the comparison of α.</summary>
    public Norm AffineFree => this with { Affine = false };

    public nn.Module<Tensor, Tensor> Create(long channels) =>
        PerSample ? new SampleNorm(channels, Affine) : Models.Layers.BatchNorm3d(channels, Affine);
}
