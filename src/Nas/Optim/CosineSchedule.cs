namespace VideoNas.Nas.Optim;

/// <summary>Cosine annealing from <paramref name="max"/> at epoch 0 to <paramref name="min"/> at epoch <paramref name="epochs"/>.</summary>
public static class CosineSchedule
{
    public static double At(int epoch, int epochs, double max, double min) =>
        min + (max - min) * (1 + Math.Cos(Math.PI * Math.Min(epoch, epochs) / epochs)) / 2;
}
