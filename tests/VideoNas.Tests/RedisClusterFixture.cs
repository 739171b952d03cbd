using VideoNas.Client;

namespace VideoNas.Tests;

/// <summary>
/// The loopback cluster of the cluster-mode tests: silos detect failures within seconds (short probes
/// and call timeouts) so the fault tests stay short. The processes' last lines go to the test's output,
/// which the runner shows when the test fails.
/// </summary>
public sealed class RedisClusterFixture(ITestOutputHelper? log = null) : LoopbackCluster(
    "--VideoNas:Membership:ProbeTimeout", "00:00:01", "--VideoNas:Membership:NumMissedProbesLimit", "2",
    "--VideoNas:Recovery:CallTimeout", "00:00:03", "--VideoNas:Recovery:KeeperInterval", "00:00:02",
    "--VideoNas:Devices:TorchThreads", "1")
{
    protected override void Dispose(bool disposing)
    {
        if (disposing) log?.WriteLine(OutputTails());
        base.Dispose(disposing);
    }
}
