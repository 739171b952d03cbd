using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VideoNas.Grains;

/// <summary>
/// Wakes every unfinished trial and experiment now and then, on every silo. A coordinator that died with
/// its silo has nobody left to call it; this call activates it on a live silo, where it resumes from its
/// last checkpoint (an experiment goes on submitting its seeds). On a running one the call is a cheap status read.
/// </summary>
internal sealed class TrialKeeper(IGrainFactory grains, IOptions<RecoveryOptions> options, ILogger<TrialKeeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.KeeperInterval, stoppingToken);
                foreach (var id in await grains.GetGrain<ITrialRegistryGrain>(Registries.Trials).Unfinished())
                    await Wake(id, "trial", () => grains.GetGrain<ITrialCoordinatorGrain>(id).GetStatus());
                foreach (var id in await grains.GetGrain<ITrialRegistryGrain>(Registries.Experiments).Unfinished())
                    await Wake(id, "experiment", () => grains.GetGrain<IExperimentGrain>(id).GetStatus());
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The silo is starting or stopping, or the registry's silo just died: try again next round.
                logger.LogDebug(e, "listing unfinished trials failed");
            }
        }
    }

    /// <summary>One wake-up; its failure is its own and never keeps the runs after it asleep.</summary>
    private async Task Wake(string id, string kind, Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "waking unfinished {Kind} {Id} failed; trying again in {Interval}", kind, id, options.Value.KeeperInterval);
        }
    }
}
