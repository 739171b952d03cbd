using VideoNas.Client;

namespace VideoNas.Tests;

/// <summary>
/// The loopback cluster of the cluster-mode tests: silos detect failures within seconds (short probes
/// and call timeouts) so the fault tests stay short.
/// </summary>
public sealed class RedisClusterFixture() : LoopbackCluster(
    "--VideoNas:Membership:ProbeTimeout", "00:00:01", "--VideoNas:Membership:NumMissedProbesLimit", "2",
    "--VideoNas:Recovery:CallTimeout", "00:00:03", "--VideoNas:Recovery:KeeperInterval", "00:00:02");
