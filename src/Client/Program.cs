using VideoNas.Core;
using VideoNas.Client;
using VideoNas.Client.Commands;

const string Usage = """
    videonas — neural architecture search for video action recognition

    usage: videonas <command> [options]     (videonas <command> --help for details)

    commands:
      demo               one search end to end on an in-process silo and a synthetic dataset
      doctor             check this machine: kernels against float64, the route in force, libraries, tools
      submit             submit a search trial (data-parallel over N shards) to a running cluster
      status ID          a trial's state, progress, genotype, shards and silos (--json for a machine)
      cancel ID          stop a trial after the step in flight
      genotype derive    derive the genotype from an alphas.json
      dataset synth      write a synthetic motion dataset (real video files, UCF101 layout)
      dataset check      check every list line and clip of a dataset; exit 0 usable, 1 some bad, 2 unusable
      dataset extract    convert a video dataset to rawframes (JPEG folders and list files)
      train              train a derived genotype or a manual baseline from scratch and test it
      model info         parameters and FLOPs per clip of a baseline or a genotype
      report             compare trained models: Markdown table and accuracy-against-parameters plot
      bench search       supernet search-step throughput and memory, partial channels off and on
      bench allreduce    gradient all-reduce bus bandwidth across worker processes against the loopback TCP ceiling

    Run from a source checkout as: dotnet run --project src/Client -- <command> [options]
    """;

var flags = new HashSet<string>(StringComparer.Ordinal) { "help", "json", "follow", "lossless", "recheck" };
if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}
try
{
    var rest = new CliArgs(args.Skip(1), flags);
    return args[0] switch
    {
        "demo" => await DemoCommand.Run(rest),
        "doctor" => DoctorCommand.Run(rest),
        "genotype" => GenotypeCommand.Run(rest),
        "dataset" => DatasetCommand.Run(rest),
        "train" => TrainCommand.Run(rest),
        "model" => ModelCommand.Run(rest),
        "report" => ReportCommand.Run(rest),
        "bench" => await BenchCommand.Run(rest),
        "submit" => await TrialCommands.Submit(rest),
        "status" => await TrialCommands.Status(rest),
        "cancel" => await TrialCommands.Cancel(rest),
        _ => throw new UsageException($"unknown command \"{args[0]}\"; run videonas --help"),
    };
}
catch (Exception thrown)
{
    // Parallel loops wrap what their workers threw, and libtorch's start-up (a bad VIDEONAS_ONEDNN_ISA, say)
    // reaches us inside a type initializer's exception; report the first cause, once.
    var e = thrown is AggregateException a ? a.Flatten().InnerExceptions[0] : thrown;
    while (e is TypeInitializationException { InnerException: { } inner }) e = inner;
    switch (e)
    {
        case UsageException or ExternalToolException:
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        // ArithmeticException: a loss or gradient went non-finite, or this CPU's kernels compute wrong numbers.
        case FormatException or FileNotFoundException or DirectoryNotFoundException or ArgumentException or IOException or InvalidDataException
            or ArithmeticException:
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        default:
            throw;
    }
}
