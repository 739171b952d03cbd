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

    public override Tensor forward(Tensor x) =>
        nn.functional.batch_norm(x, running_mean, running_var, weight, bias, training, Momentum, Epsilon);
}
