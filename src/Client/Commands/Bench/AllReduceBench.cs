using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using VideoNas.Core.DataPlane;

namespace VideoNas.Client.Commands.Bench;

/// <summary>
/// The data-plane benchmark: ring all-reduce across N worker processes on loopback against the raw TCP
/// ceiling (one process streaming to another) measured in the same run.
/// </summary>
public static class AllReduceBench
{
    public static Command Create()
    {
        var shards = new Option<string>("--shards") { Description = "ring sizes to measure, comma-separated", DefaultValueFactory = _ => "2,4", HelpName = "LIST" };
        var mb = new Option<string>("--mb") { Description = "buffer sizes in MiB, comma-separated", DefaultValueFactory = _ => "8,64", HelpName = "LIST" };
        var iterations = CliOptions.Number("--iterations", 10, "timed all-reduces per configuration");
        var chunkKb = CliOptions.Number("--chunk-kb", GradientRing.DefaultChunkBytes / 1024, "pipelining chunk in KiB");
        var command = new Command("allreduce", """
            Ring all-reduce bus bandwidth across worker processes against the loopback TCP ceiling.

            Starts N worker processes on loopback, links them in a GradientRing and times the all-reduce of a
            float buffer of the given size (after one warm-up call). For each (shards, MB) it prints the median
            time, the bus bandwidth 2(N−1)/N · bytes / time, and that bandwidth as a share of the raw loopback
            TCP ceiling: one process streaming the same bytes to another over one socket, measured first.
            """) { shards, mb, iterations, chunkKb };
        command.SetAction(r => Run(IntList(r.GetValue(shards)!, "shards"), IntList(r.GetValue(mb)!, "mb"), r.GetValue(iterations), r.GetValue(chunkKb)));
        return command;
    }

    private static int Run(List<int> shards, List<int> sizes, int iterations, int chunkKb)
    {
        if (shards.Any(n => n < 2) || iterations < 1 || chunkKb < 1) throw new UsageException("--shards must be ≥ 2, --iterations and --chunk-kb ≥ 1");

        var c = CultureInfo.InvariantCulture;
        Console.WriteLine($"all-reduce on loopback, {Environment.ProcessorCount} cores; workers are separate processes; median of {iterations}");
        Console.WriteLine("| shards | MiB | ms | bus bandwidth (MB/s) | TCP ceiling (MB/s) | share of ceiling |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (int mb in sizes)
        {
            double ceiling = TcpCeiling(mb, iterations);
            foreach (int n in shards)
            {
                double seconds = RingSeconds(n, mb, iterations, chunkKb);
                double bus = 2.0 * (n - 1) / n * mb * 1048576 / seconds / 1e6;
                Console.WriteLine(string.Format(c, "| {0} | {1} | {2:F1} | {3:F0} | {4:F0} | {5:P0} |", n, mb, seconds * 1000, bus, ceiling, bus / ceiling));
            }
        }
        return 0;
    }

    /// <summary>The hidden verb the workers run: <c>bench allreduce-worker</c>.</summary>
    public static Command CreateWorker()
    {
        var mb = CliOptions.Number("--mb", 8, "buffer size in MiB");
        var iterations = CliOptions.Number("--iterations", 10, "timed all-reduces");
        var stream = new Option<string?>("--stream") { Description = "stream the buffer to this address instead (the TCP ceiling)" };
        var rank = CliOptions.Number("--rank", 0, "this worker's place in the ring");
        var chunkKb = CliOptions.Number("--chunk-kb", GradientRing.DefaultChunkBytes / 1024, "pipelining chunk in KiB");
        var command = new Command("allreduce-worker", "one worker process of `bench allreduce`") { mb, iterations, stream, rank, chunkKb };
        command.Hidden = true;
        command.SetAction((r, cancel) => Worker(r.GetValue(mb) * 1048576 / sizeof(float), r.GetValue(iterations), r.GetValue(stream), r.GetValue(rank), r.GetValue(chunkKb)));
        return command;
    }

    private static async Task<int> Worker(int floats, int iterations, string? stream, int rank, int chunkKb)
    {
        if (stream is not null)
        {
            var to = RingEndpoint.Parse(stream);
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, SendBufferSize = 4 << 20 };
            socket.Connect(to.Host, to.Port);
            var payload = new byte[floats * sizeof(float)];
            for (int i = 0; i <= iterations; i++) socket.Send(payload);
            return 0;
        }
        using var ring = GradientRing.Listen(chunkBytes: chunkKb * 1024);
        Console.WriteLine($"endpoint {ring.LocalEndpoint}");
        // The parent writes the ring's secret (hex) and then the members, comma-separated.
        var line = (Console.ReadLine() ?? throw new UsageException("no member list on stdin")).Split(',');
        await ring.ConnectAsync("bench", rank, line.Skip(1).Select(RingEndpoint.Parse).ToList(), Convert.FromHexString(line[0]));
        var data = Enumerable.Repeat((float)rank, floats).ToArray();
        ring.AllReduceMean(data);
        var times = new List<double>();
        for (int i = 0; i < iterations; i++)
        {
            var watch = Stopwatch.StartNew();
            ring.AllReduceMean(data);
            times.Add(watch.Elapsed.TotalSeconds);
        }
        Console.WriteLine("seconds " + string.Join(',', times.Select(t => t.ToString("R", CultureInfo.InvariantCulture))));
        return 0;
    }

    private static double RingSeconds(int n, int mb, int iterations, int chunkKb)
    {
        var workers = Enumerable.Range(0, n).Select(rank => SelfProcess.Start(["bench", "allreduce-worker", "--rank", $"{rank}",
            "--mb", $"{mb}", "--iterations", $"{iterations}", "--chunk-kb", $"{chunkKb}"])).ToList();
        try
        {
            var endpoints = workers.Select(w => ReadTagged(w, "endpoint")).ToList();
            string secret = Convert.ToHexString(GradientRing.NewSecret());
            foreach (var w in workers) w.StandardInput.WriteLine(string.Join(',', endpoints.Prepend(secret)));
            // Every member waits for the slowest in each call, so rank 0's times are the ring's.
            var seconds = workers.Select(w => ReadTagged(w, "seconds")).ToList()[0].Split(',')
                .Select(s => double.Parse(s, CultureInfo.InvariantCulture)).Order().ToList();
            return seconds[seconds.Count / 2];
        }
        finally
        {
            foreach (var w in workers)
            {
                if (!w.WaitForExit(10_000)) w.Kill(entireProcessTree: true);
                w.Dispose();
            }
        }
    }

    /// <summary>MB/s of one process streaming <paramref name="mb"/> MiB buffers to this one over one loopback socket.</summary>
    internal static double TcpCeiling(int mb, int iterations)
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var sender = SelfProcess.Start(["bench", "allreduce-worker", "--stream", $"127.0.0.1:{((IPEndPoint)listener.LocalEndPoint!).Port}",
            "--mb", $"{mb}", "--iterations", $"{iterations}"]);
        using var socket = listener.Accept();
        socket.ReceiveBufferSize = 4 << 20;
        long bytes = (long)mb * 1048576, total = bytes * (iterations + 1);
        var buffer = new byte[1 << 20];
        long received = 0;
        // The first buffer's worth warms up the connection; the clock starts after it.
        while (received < bytes) received += Receive(socket, buffer);
        var watch = Stopwatch.StartNew();
        while (received < total) received += Receive(socket, buffer);
        double seconds = watch.Elapsed.TotalSeconds;
        sender.WaitForExit();
        return (total - bytes) / seconds / 1e6;
    }

    private static int Receive(Socket socket, byte[] buffer)
    {
        int n = socket.Receive(buffer);
        return n > 0 ? n : throw new IOException("the streaming worker closed the connection early");
    }

    private static string ReadTagged(Process worker, string tag)
    {
        while (worker.StandardOutput.ReadLine() is { } line)
            if (line.StartsWith(tag + " ", StringComparison.Ordinal)) return line[(tag.Length + 1)..];
        throw new IOException($"a benchmark worker exited before printing '{tag}': {worker.StandardError.ReadToEnd().Trim()}");
    }

    internal static List<int> IntList(string text, string name) =>
        text.Split(',').Select(s => int.TryParse(s, out int v) && v > 0 ? v : throw new UsageException($"--{name} takes positive integers separated by commas, got \"{text}\"")).ToList();
}
