using VideoNas.Client.Commands.Bench;

namespace VideoNas.Client.Commands;

public static class BenchCommand
{
    public static Command Create() => new("bench", "Benchmarks that print figures: the search step, the training step, the clip loader, a loopback cluster, the all-reduce.")
    {
        SearchBench.Create(), TrainBench.Create(), SearchBench.CreateExport(), LoaderBench.Create(), ClusterBench.Create(), AllReduceBench.Create(), AllReduceBench.CreateWorker(),
    };
}
