using System.Runtime.InteropServices;

namespace VideoNas.Client;

/// <summary>
/// Ctrl+C and SIGTERM as a cancellation token, for commands that run grains in this process: the host's
/// console lifetime would only stop the silo under the running work; the command cancels it instead.
/// </summary>
public sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration _int, _term;

    public Interruption()
    {
        _int = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
    }

    public CancellationToken Token => _source.Token;

    private void Interrupt(PosixSignalContext signal)
    {
        signal.Cancel = true;
        _source.Cancel();
    }

    public void Dispose()
    {
        _int.Dispose();
        _term.Dispose();
        _source.Dispose();
    }
}
