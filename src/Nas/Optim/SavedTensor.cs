using TorchSharp.Modules;

namespace VideoNas.Nas.Optim;

internal static class SavedTensor
{
    /// <summary>An optimiser-owned copy of a checkpointed tensor, on the parameter's device and in its dtype.</summary>
    public static Tensor CopyLike(Tensor saved, Parameter like) => saved.to(like.dtype, like.device).clone().DetachFromDisposeScope();
}
