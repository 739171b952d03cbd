using VideoNas.Nas.Models;

namespace VideoNas.Nas.Supernet;

/// <summary>
/// A supernet edge in one pass: the same function as <see cref="MixedOp"/>'s sum over its operations (the
/// readable reference, which this is tested against), with less work. The input's ReLU is taken once for every
/// unit that starts with one. Dense convolutions of one shape on that ReLU (the 1×k×k halves of P3D-A, B and C;
/// conv_3x1x1 with P3D-B's k×1×1 half) run as one convolution with their weights stacked on the output channels,
/// and their BatchNorms as one over the stacked channels (per-channel statistics: the same normalisation). The
/// k×1×1 halves of P3D-A and C, each on its own spatial output, run as one grouped convolution. Each stack's
/// share of the weighted sum is one contraction over its branches. The weights stay the operations' own, so
/// checkpoints, seeded initialisation and the PyTorch reference see the same parameters.
/// </summary>
internal sealed class FusedEdge
{
    private readonly List<Stack> _stacks;
    private readonly List<SecondStage> _second;
    private readonly List<(ConvUnit Unit, int Op)> _separable;
    private readonly List<(nn.Module<Tensor, Tensor> Module, int Op)> _others;

    private FusedEdge(List<Stack> stacks, List<SecondStage> second, List<(ConvUnit, int)> separable, List<(nn.Module<Tensor, Tensor>, int)> others) =>
        (_stacks, _second, _separable, _others) = (stacks, second, separable, others);

    /// <summary>The fused form of <paramref name="ops"/>, leaving out those <paramref name="skipped"/> (none); null when none is left.</summary>
    public static FusedEdge? Plan(IReadOnlyList<nn.Module<Tensor, Tensor>> ops, IReadOnlyList<bool> skipped)
    {
        var dense = new List<(Member Member, ConvUnit? Next, int Op)>();
        var separable = new List<(ConvUnit, int)>();
        var others = new List<(nn.Module<Tensor, Tensor>, int)>();
        for (int k = 0; k < ops.Count; k++)
        {
            if (skipped[k]) continue;
            switch (ops[k])
            {
                case ConvUnit { BatchNorm: not null, Separable: true } unit:
                    separable.Add((unit, k));
                    break;
                case ConvUnit { BatchNorm: not null } unit:
                    dense.Add((new Member(unit, k), null, k));
                    break;
                case P3dOp { Spatial.BatchNorm: not null } p3d when p3d.Variant == P3dVariant.B:
                    dense.Add((new Member(p3d.Spatial, k), null, k));
                    dense.Add((new Member(p3d.Temporal, k), null, k));
                    break;
                case P3dOp { Spatial.BatchNorm: not null } p3d:
                    // P3D-A's spatial output only feeds its temporal unit; P3D-C's is also a term of its sum.
                    dense.Add((new Member(p3d.Spatial, p3d.Variant == P3dVariant.A ? -1 : k), p3d.Temporal, k));
                    break;
                default:
                    others.Add((ops[k], k));
                    break;
            }
        }
        if (dense.Count + separable.Count + others.Count == 0) return null;
        var stacks = new List<Stack>();
        var second = new List<SecondStage>();
        foreach (var group in dense.GroupBy(d => d.Member.Unit.Shape))
        {
            // Units that feed a second stage first, those with the same second shape side by side, so each run is one grouped call.
            var ordered = group.OrderBy(d => d.Next is null).ThenBy(d => d.Next?.Shape.Kernel[0] ?? 0).ToList();
            stacks.Add(new Stack(group.Key, ordered.Select(d => d.Member).ToList(), grouped: false));
            for (int first = 0; first < ordered.Count && ordered[first].Next is { } next;)
            {
                int end = first;
                while (end < ordered.Count && ordered[end].Next is { } n && n.Shape == next.Shape) end++;
                var members = ordered.Skip(first).Take(end - first).Select(d => new Member(d.Next!, d.Op)).ToList();
                second.Add(new SecondStage(stacks.Count - 1, first, new Stack(next.Shape, members, grouped: true)));
                first = end;
            }
        }
        return new FusedEdge(stacks, second, separable, others);
    }

    /// <summary>Σ_k weights[k] · op_k(x) over the planned operations.</summary>
    public Tensor Mix(Tensor x, Tensor weights)
    {
        using var scope = NewDisposeScope();
        Tensor? sum = null;
        void Add(Tensor term) => sum = sum is null ? term : sum.PlusInPlace(term);
        void AddWeighted(Tensor y, int op)
        {
            if (sum is null) sum = y.mul(weights[op]);
            else sum.AddCMulInPlace(y, weights[op], 1.0);
        }
        void AddStack(Tensor y, Stack stack)
        {
            long channels = y.shape[1] / stack.Members.Count;
            foreach (var (first, run) in stack.Terms)
            {
                var branches = y.narrow(1, first * channels, run.Length * channels);
                if (run.Length == 1)
                {
                    AddWeighted(branches, run[0]);
                    continue;
                }
                // One contraction over the run's branches: [1, m] × [N, m, C·T·H·W], no weighted copy of each branch.
                using var index = tensor(run.Select(k => (long)k).ToArray(), device: weights.device);
                var coefficients = weights.index_select(0, index).unsqueeze(0);
                var mixed = matmul(coefficients, branches.reshape(y.shape[0], run.Length, -1));
                Add(mixed.view([y.shape[0], channels, .. y.shape[2..]]));
            }
        }

        var relu = _stacks.Count + _separable.Count > 0 ? nn.functional.relu(x) : null;
        var stacked = _stacks.Select(s => s.Run(relu!)).ToList();
        for (int i = 0; i < _stacks.Count; i++) AddStack(stacked[i], _stacks[i]);
        foreach (var second in _second)
        {
            var source = stacked[second.Source];
            long channels = source.shape[1] / _stacks[second.Source].Members.Count;
            var input = nn.functional.relu(source.narrow(1, second.FirstSlot * channels, second.Stack.Members.Count * channels));
            AddStack(second.Stack.Run(input), second.Stack);
        }
        foreach (var (unit, op) in _separable) AddWeighted(unit.AfterRelu(relu!), op);
        foreach (var (module, op) in _others) AddWeighted(module.call(x), op);
        return sum!.MoveToOuterDisposeScope();
    }

    /// <summary>A unit of a stack and the operation whose sum its output is a term of (−1: none, it only feeds a second stage).</summary>
    private sealed record Member(ConvUnit Unit, int Op);

    /// <summary>A stack of P3D-A/C temporal units on slots <c>FirstSlot…</c> of stack <c>Source</c>'s output.</summary>
    private sealed record SecondStage(int Source, int FirstSlot, Stack Stack);

    /// <summary>
    /// Units of one convolution shape as one call: on the same input with their weights stacked on the output
    /// channels, or (grouped) each on its own slice of the input channels.
    /// </summary>
    private sealed class Stack
    {
        private readonly ConvShape _shape;
        private readonly bool _grouped;
        private readonly List<FunctionalBatchNorm> _norms;

        public Stack(ConvShape shape, List<Member> members, bool grouped)
        {
            _shape = shape;
            _grouped = grouped;
            Members = members;
            _norms = members.Select(m => m.Unit.BatchNorm!).ToList();
            Terms = Runs(members);
        }

        public List<Member> Members { get; }

        /// <summary>The runs of adjacent slots that are terms of the sum: first slot, and the operation of each.</summary>
        public List<(int First, int[] Ops)> Terms { get; }

        public Tensor Run(Tensor input)
        {
            using var scope = NewDisposeScope();
            var weight = Members.Count == 1 ? Members[0].Unit.Weight : cat(Members.Select(m => m.Unit.Weight).ToList(), 0);
            long groups = _grouped ? Members.Count : 1;
            var y = nn.functional.conv3d(input, weight, null, _shape.Stride, _shape.Padding, _shape.Dilation, groups);
            Layers.CountMacs(y, _shape.MacsPerOutput(input.shape[1] / groups));
            return FunctionalBatchNorm.Stacked(_norms, y).MoveToOuterDisposeScope();
        }

        private static List<(int, int[])> Runs(List<Member> members)
        {
            var runs = new List<(int, int[])>();
            for (int i = 0; i < members.Count;)
            {
                if (members[i].Op < 0)
                {
                    i++;
                    continue;
                }
                int start = i;
                while (i < members.Count && members[i].Op >= 0) i++;
                runs.Add((start, members.Skip(start).Take(i - start).Select(m => m.Op).ToArray()));
            }
            return runs;
        }
    }
}
