using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VideoNas.Grains;

/// <summary>
/// Wakes every unfinished trial now and then, on every silo. A coordinator that died with its silo has
/// nobody left to call it; this call activates it on a live silo, where it resumes from its last
/// checkpoint. On a trial that is running the call is a cheap status read.
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
                foreach (var id in await grains.GetGrain<ITrialRegistryGrain>(0).Unfinished()) await Wake(id);
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

    /// <summary>One trial's wake-up; its failure is its own and never keeps the trials after it asleep.</summary>
    private async Task Wake(string trialId)
    {
        try
        {
            await grains.GetGrain<ITrialCoordinatorGrain>(trialId).GetStatus();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "waking unfinished trial {Trial} failed; trying again in {Interval}", trialId, options.Value.KeeperInterval);
        }
    }
}
