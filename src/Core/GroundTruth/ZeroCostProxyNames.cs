namespace VideoNas.Core.GroundTruth;

/// <summary>The zero-cost proxies by name; here, apart from their code, so the command line can list them without loading libtorch.</summary>
public static class ZeroCostProxyNames
{
    public const string GradNorm = "grad_norm", Synflow = "synflow", JacobCov = "jacob_cov";
    public static readonly IReadOnlyList<string> All = [GradNorm, Synflow, JacobCov];
}
