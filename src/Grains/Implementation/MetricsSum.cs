namespace VideoNas.Grains;

/// <summary>Clip-weighted running sums of step metrics: what an epoch's mean needs, in a form a checkpoint can keep.</summary>
[GenerateSerializer, Immutable]
public sealed record MetricsSum([property: Id(0)] double LossSum, [property: Id(1)] double AccuracySum, [property: Id(2)] long Clips)
{
    public static readonly MetricsSum Zero = new(0, 0, 0);

    public MetricsSum Add(StepMetrics m) => new(LossSum + m.Loss * m.Clips, AccuracySum + m.Accuracy * m.Clips, Clips + m.Clips);

    public StepMetrics? Mean => Clips == 0 ? null : new(LossSum / Clips, AccuracySum / Clips, Clips);

    public static MetricsSum Of(IEnumerable<StepMetrics> steps) => steps.Aggregate(Zero, (sum, m) => sum.Add(m));
}
