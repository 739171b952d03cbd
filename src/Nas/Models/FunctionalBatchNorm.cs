using TorchSharp.Modules;

namespace VideoNas.Nas.Models;

/// <summary>
/// BatchNorm over [N, C, …] with running statistics (momentum 0.1, ε 1e-5, PyTorch's defaults), computed by
/// the functional batch_norm. Used instead of TorchSharp 0.107's <c>nn.BatchNorm3d</c>, whose forward
/// counts batches with <c>num_batches_tracked.add_(1)</c>: that call builds its scale as an implicit
/// Scalar the garbage collector may finalize while libtorch still reads it, which under allocation
/// pressure (a busy clip loader) failed searches with "For integral input tensors, argument alpha must
/// not be a floating point number". With a fixed momentum the count is never used. Parameters and
/// running statistics have PyTorch's names, so parameter counts and checkpoints read the same.
/// </summary>
public sealed class FunctionalBatchNorm : nn.Module<Tensor, Tensor>
{
    private const double Momentum = 0.1, Epsilon = 1e-5;
    private readonly Parameter? weight;
    private readonly Parameter? bias;
    private readonly Tensor running_mean;
    private readonly Tensor running_var;

    public FunctionalBatchNorm(long channels, bool affine = true) : base("BatchNorm3d")
    {
        if (affine)
        {
            weight = new Parameter(ones(channels));
            bias = new Parameter(zeros(channels));
        }
        running_mean = zeros(channels);
        running_var = ones(channels);
        RegisterComponents();
    }

    public long Channels => running_mean.shape[0];

    public override Tensor forward(Tensor x) =>
        nn.functional.batch_norm(x, running_mean, running_var, weight, bias, training, Momentum, Epsilon);

    /// <summary>
    /// <paramref name="norms"/> applied to their channels of <paramref name="x"/> (stacked in order) by one call:
    /// the statistics are per channel, so it is the same normalisation, and in training each norm's running
    /// statistics move as its own call would have moved them.
    /// </summary>
    public static Tensor Stacked(IReadOnlyList<FunctionalBatchNorm> norms, Tensor x)
    {
        if (norms.Count == 1) return norms[0].call(x);
        using var scope = NewDisposeScope();
        var mean = cat(norms.Select(n => n.running_mean).ToList(), 0);
        var variance = cat(norms.Select(n => n.running_var).ToList(), 0);
        bool affine = norms[0].weight is not null;
        var weight = affine ? cat(norms.Select(n => (Tensor)n.weight!).ToList(), 0) : null;
        var bias = affine ? cat(norms.Select(n => (Tensor)n.bias!).ToList(), 0) : null;
        bool training = norms[0].training;
        var y = nn.functional.batch_norm(x, mean, variance, weight, bias, training, Momentum, Epsilon);
        if (training)
        {
            using var noGrad = no_grad();
            long offset = 0;
            foreach (var n in norms)
            {
                n.running_mean.copy_(mean.narrow(0, offset, n.Channels));
                n.running_var.copy_(variance.narrow(0, offset, n.Channels));
                offset += n.Channels;
            }
        }
        return y.MoveToOuterDisposeScope();
    }
}
