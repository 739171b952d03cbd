using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Storage;
using VideoNas.Grains.DataPlane;
using VideoNas.Grains.Placement;
using VideoNas.Grains.Storage;

namespace VideoNas.Grains;

public static class SiloBuilderExtensions
{
    /// <summary>Grain state as JSON files under <paramref name="stateDirectory"/> (the embedded default).</summary>
    public static ISiloBuilder AddVideoNasFileStorage(this ISiloBuilder silo, string stateDirectory)
    {
        silo.Services.AddKeyedSingleton<IGrainStorage>(VideoNasStorage.Name, (_, _) => new FileGrainStorage(stateDirectory));
        return silo;
    }

    /// <summary>Settings every VideoNas silo needs whatever its clustering.</summary>
    public static ISiloBuilder AddVideoNasDefaults(this ISiloBuilder silo)
    {
        silo.AddPlacementDirector<DevicePlacement, DevicePlacementDirector>();
        // Grain calls carry the caller's trace, so a trial's steps and its shards' steps form one trace.
        silo.AddActivityPropagation();
        silo.Services.AddHostedService<TrialKeeper>();
        silo.Services.AddSingleton<LocalReduceGroups>();
        return silo;
    }
}
