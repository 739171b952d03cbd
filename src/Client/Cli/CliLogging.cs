using Microsoft.Extensions.Logging;

namespace VideoNas.Client.Cli;

/// <summary>Warnings of the NAS core (short clips, say) on the console, one line each, for commands that run it in-process.</summary>
public static class CliLogging
{
    public static ILoggerFactory Create() => LoggerFactory.Create(b => b.AddSimpleConsole(o =>
    {
        o.SingleLine = true;
        o.IncludeScopes = false;
    }).SetMinimumLevel(LogLevel.Information));
}
