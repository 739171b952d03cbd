using VideoNas.Client.Commands.Dataset;
using VideoNas.Core.Data;

namespace VideoNas.Client.Commands;

public static class DatasetCommand
{
    public static Command Create() =>
        new("dataset", "Datasets: write a synthetic one, check one, convert one to rawframes.\n\n" + DatasetLayout.Help)
        {
            SynthCommand.Create(), CheckCommand.Create(), ExtractCommand.Create(),
        };
}
