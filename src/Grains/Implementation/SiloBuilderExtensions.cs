using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Storage;
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
        // A shard's Open decodes its whole data shard before answering; leave room for it.
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(10));
        silo.AddPlacementDirector<DevicePlacement, DevicePlacementDirector>();
        return silo;
    }
}
