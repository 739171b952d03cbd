namespace VideoNas.Grains;

/// <summary>Who holds a device: "trial/shard". Trial ids hold no '/', so the trial part is exact.</summary>
public static class LeaseHolder
{
    public static string Of(string trialId, int shard) => $"{trialId}/{shard}";

    public static string TrialOf(string holder) => holder[..Math.Max(0, holder.LastIndexOf('/'))];
}
