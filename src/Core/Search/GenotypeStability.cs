namespace VideoNas.Core.Search;

public static class GenotypeStability
{
    /// <summary>How many epochs in a row, up to the last, the genotype has not changed (0 if it just changed).</summary>
    public static int UnchangedEpochs(IReadOnlyList<string> genotypesByEpoch)
    {
        int n = 0;
        for (int i = genotypesByEpoch.Count - 1; i > 0 && genotypesByEpoch[i] == genotypesByEpoch[i - 1]; i--) n++;
        return n;
    }
}
