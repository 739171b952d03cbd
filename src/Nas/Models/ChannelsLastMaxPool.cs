namespace VideoNas.Nas.Models;

/// <summary>
/// 3-D max pooling that finds its maxima with libtorch's channels-last CPU kernel. The NCDHW kernel is scalar; the
/// channels-last one vectorises over channels, about 10× faster on our shapes. The pooled values are then gathered
/// from the input at those argmaxes, so autograd keeps only the indices (as ATen's pool does), not the layout copy,
/// and the backward is the same scatter of gradients to the same cells, ties included. On CUDA the copy would cost
/// more than it saves, so there it pools in place.
/// </summary>
public sealed class ChannelsLastMaxPool : nn.Module<Tensor, Tensor>
{
    private readonly long[] _kernel, _stride, _padding;
    private readonly bool _ceilMode;

    public ChannelsLastMaxPool(long[] kernel, long[] stride, long[]? padding = null, bool ceilMode = false) : base(nameof(ChannelsLastMaxPool))
    {
        (_kernel, _stride, _padding, _ceilMode) = (kernel, stride, padding ?? [0, 0, 0], ceilMode);
    }

    public override Tensor forward(Tensor x) => Apply(x, _kernel, _stride, _padding, _ceilMode);

    public static Tensor Apply(Tensor x, long[] kernel, long[] stride, long[] padding, bool ceilMode = false)
    {
        if (x.device_type != DeviceType.CPU) return nn.functional.max_pool3d(x, kernel, stride, padding, ceil_mode: ceilMode);
        using var scope = NewDisposeScope();
        Tensor values, indices;
        using (no_grad())
        {
            var channelsLast = x.permute(0, 2, 3, 4, 1).contiguous().permute(0, 4, 1, 2, 3);
            (values, indices) = nn.functional.max_pool3d_with_indices(channelsLast, kernel, stride, padding, ceil_mode: ceilMode);
        }
        var pooled = x.requires_grad ? x.flatten(2).gather(2, indices.contiguous().flatten(2)).view(indices.shape) : values.contiguous();
        return pooled.MoveToOuterDisposeScope();
    }
}
