using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Polly;
using Polly.Retry;

namespace VideoNas.Core.DataPlane;

/// <summary>
/// A ring all-reduce over direct TCP connections: each member accepts one connection from its
/// predecessor and opens one to its successor. Transfers are chunked and pipelined: a chunk is
/// forwarded as soon as it has been received and reduced, so sending, receiving and adding overlap, and
/// every link carries 2(N−1)/N of the buffer per call. The completed segments are scaled before the
/// all-gather, so every member ends with bit-identical values.
/// Joining is authenticated: the predecessor names the ring and its rank, the member sends a random
/// challenge, and the predecessor answers with an HMAC of it under the ring's secret (which the trial's
/// coordinator hands to its shards). Each connection gets <see cref="HandshakeTimeout"/> and they are
/// checked concurrently, so a stranger that stays silent or sends garbage cannot hold the real predecessor off.
/// </summary>
public sealed class GradientRing : IGradientReducer
{
    public const int DefaultChunkBytes = 256 * 1024;
    public const int SecretBytes = 32;
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(5);
    private static readonly byte[] Magic = "VNRG"u8.ToArray();

    private readonly Socket _listener;
    private readonly int _chunkFloats;
    private readonly TimeSpan _timeout;
    private readonly byte[] _scratch;
    private Socket? _next, _prev;
    // Every all-reduce's sends run on one long-lived thread of the ring, started with the first.
    private DedicatedThread? _sender;
    private string _ringId = "";
    private byte[] _secret = [];
    private long _sequence;

    public RingEndpoint LocalEndpoint { get; }
    public int Rank { get; private set; }
    public int Size { get; private set; } = 1;

    /// <summary>The managed thread that sent the last all-reduce's data (diagnostics: the same one for every call).</summary>
    public int LastSenderThreadId { get; private set; }

    private GradientRing(Socket listener, string advertisedHost, int chunkBytes, TimeSpan timeout)
    {
        _listener = listener;
        _chunkFloats = Math.Max(1, chunkBytes / sizeof(float));
        _scratch = new byte[_chunkFloats * sizeof(float)];
        _timeout = timeout;
        LocalEndpoint = new RingEndpoint(advertisedHost, ((IPEndPoint)listener.LocalEndPoint!).Port);
    }

    /// <summary>
    /// Opens the listening socket on the first free port of <paramref name="ports"/> (null: any free port).
    /// <paramref name="advertisedHost"/> is the address the other members dial, which differs from the bind
    /// address behind NAT or in a pod network.
    /// </summary>
    public static GradientRing Listen(string bindAddress = "127.0.0.1", PortRange? ports = null, string? advertisedHost = null,
        int chunkBytes = DefaultChunkBytes, TimeSpan? timeout = null)
    {
        foreach (int port in ports?.Ports ?? [0])
        {
            var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                listener.Bind(new IPEndPoint(IPAddress.Parse(bindAddress), port));
                listener.Listen(16);
                return new GradientRing(listener, advertisedHost ?? bindAddress, chunkBytes, timeout ?? TimeSpan.FromSeconds(60));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && ports is not null)
            {
                listener.Dispose();
            }
            catch
            {
                listener.Dispose();
                throw;
            }
        }
        throw new RingBrokenException($"every ring port in {ports} is in use on {bindAddress}; widen VideoNas:RingPorts");
    }

    /// <summary>A fresh ring secret, for the one who forms a ring to hand to its members.</summary>
    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(SecretBytes);

    /// <summary>
    /// Joins the ring <paramref name="ringId"/> as <paramref name="rank"/>. Every member calls this at about
    /// the same time with the same member list and secret; a connection from anyone but the expected
    /// predecessor of the same ring, proving it holds the secret, is refused, so neither a stale member of an
    /// earlier ring nor a stranger can slip in.
    /// </summary>
    public async Task ConnectAsync(string ringId, int rank, IReadOnlyList<RingEndpoint> members, byte[] secret, CancellationToken cancel = default)
    {
        if (rank < 0 || rank >= members.Count) throw new ArgumentOutOfRangeException(nameof(rank), $"rank {rank} is not in a ring of {members.Count}");
        if (secret.Length < 16) throw new ArgumentException($"a ring secret needs at least 16 bytes, got {secret.Length}", nameof(secret));
        CloseLinks();
        (_ringId, _secret, Rank, Size, _sequence) = (ringId, secret, rank, members.Count, 0);
        if (Size == 1) return;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(_timeout);
        try
        {
            var successor = members[(rank + 1) % Size];
            var accept = AcceptPredecessorAsync(timeout.Token);
            _next = await DialAsync(successor, timeout.Token);
            _prev = await accept;
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            CloseLinks();
            throw new RingBrokenException($"ring {ringId}: rank {rank} could not link up with its neighbours within {_timeout.TotalSeconds:0} s");
        }
        catch (SocketException e)
        {
            CloseLinks();
            throw new RingBrokenException($"ring {ringId}: rank {rank} could not reach {members[(rank + 1) % Size]}: {e.Message}", e);
        }
        finally
        {
            // A pending accept left behind would steal the predecessor's connection of the next ring.
            timeout.Cancel();
        }
    }

    // The successor may not be listening yet when members start at different times: retry until cancelled.
    private static readonly ResiliencePipeline UntilListening = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
    {
        ShouldHandle = new PredicateBuilder().Handle<SocketException>(e => e.SocketErrorCode is SocketError.ConnectionRefused),
        MaxRetryAttempts = int.MaxValue, BackoffType = DelayBackoffType.Constant, Delay = TimeSpan.FromMilliseconds(50),
    }).Build();

    private async Task<Socket> DialAsync(RingEndpoint successor, CancellationToken cancel) => await UntilListening.ExecuteAsync(async ct =>
    {
        var socket = NewSocket();
        try
        {
            await socket.ConnectAsync(successor.Host, successor.Port, ct);
            var hello = new List<byte>(Magic);
            var id = Encoding.UTF8.GetBytes(_ringId);
            hello.AddRange(BitConverter.GetBytes(id.Length));
            hello.AddRange(id);
            hello.AddRange(BitConverter.GetBytes(Rank));
            await socket.SendAsync(hello.ToArray(), ct);
            // The successor may start accepting later than this connection lands in its backlog: wait as long as the ring does.
            var challenge = new byte[SecretBytes];
            await ReceiveExactlyAsync(socket, challenge, ct);
            await socket.SendAsync(Proof(challenge, Rank), ct);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }, cancel);

    /// <summary>
    /// Accepts connections until one proves to be the predecessor; each is checked on its own, within
    /// <see cref="HandshakeTimeout"/>, while the next is accepted.
    /// </summary>
    private async Task<Socket> AcceptPredecessorAsync(CancellationToken cancel)
    {
        int predecessor = (Rank - 1 + Size) % Size;
        var winner = new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var accepting = Task.Run(async () =>
        {
            while (true)
            {
                var socket = await _listener.AcceptAsync(stop.Token);
                _ = Task.Run(async () =>
                {
                    if (!(await IsPredecessorAsync(socket, predecessor, stop.Token) && winner.TrySetResult(socket))) socket.Dispose();
                }, CancellationToken.None);
            }
        }, CancellationToken.None);
        try
        {
            return await winner.Task.WaitAsync(cancel);
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await accepting;
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The accept loop ends with the cancellation (or the listener's disposal).
            }
            // A predecessor that won as the wait was cancelled is not kept.
            if (cancel.IsCancellationRequested && winner.Task.IsCompletedSuccessfully) winner.Task.Result.Dispose();
        }
    }

    private async Task<bool> IsPredecessorAsync(Socket socket, int predecessor, CancellationToken cancel)
    {
        using var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        handshake.CancelAfter(HandshakeTimeout);
        try
        {
            Configure(socket);
            var head = new byte[8];
            await ReceiveExactlyAsync(socket, head, handshake.Token);
            int idLength = BitConverter.ToInt32(head, 4);
            if (!head.AsSpan(0, 4).SequenceEqual(Magic) || idLength is < 0 or > 4096) return false;
            var rest = new byte[idLength + 4];
            await ReceiveExactlyAsync(socket, rest, handshake.Token);
            if (Encoding.UTF8.GetString(rest, 0, idLength) != _ringId || BitConverter.ToInt32(rest, idLength) != predecessor) return false;
            var challenge = RandomNumberGenerator.GetBytes(SecretBytes);
            await socket.SendAsync(challenge, handshake.Token);
            var proof = new byte[HMACSHA256.HashSizeInBytes];
            await ReceiveExactlyAsync(socket, proof, handshake.Token);
            return CryptographicOperations.FixedTimeEquals(proof, Proof(challenge, predecessor));
        }
        catch (Exception e) when (e is RingBrokenException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>What the member of rank <paramref name="rank"/> answers to a challenge: an HMAC under the ring's secret.</summary>
    private byte[] Proof(byte[] challenge, int rank)
    {
        var message = new List<byte>(challenge);
        message.AddRange(Encoding.UTF8.GetBytes(_ringId));
        message.AddRange(BitConverter.GetBytes(rank));
        return HMACSHA256.HashData(_secret, message.ToArray());
    }

    private static async Task ReceiveExactlyAsync(Socket socket, byte[] buffer, CancellationToken cancel)
    {
        for (int read = 0; read < buffer.Length;)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(read), cancel);
            if (n == 0) throw new RingBrokenException("connection closed during the handshake");
            read += n;
        }
    }

    public void AllReduceMean(Memory<float> data)
    {
        if (Size == 1) return;
        if (_next is null || _prev is null) throw new InvalidOperationException($"ring {_ringId}: rank {Rank} is not connected");
        long sequence = _sequence++;
        var schedule = new RingSchedule(data.Length, Size, _chunkFloats);
        using var forwardable = new SemaphoreSlim(0);
        using var failed = new CancellationTokenSource();
        _sender ??= new DedicatedThread("ring sender");
        var sender = _sender.Run(() => SendAll(data, schedule, sequence, forwardable, failed.Token));
        try
        {
            ReceiveAll(data, schedule, sequence, forwardable);
            sender.GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            failed.Cancel();
            // Closing the links unblocks the other direction here and tells the neighbours at once.
            CloseLinks();
            try { sender.Wait(); } catch (AggregateException) { }
            throw e as RingBrokenException ?? new RingBrokenException($"ring {_ringId}: rank {Rank} lost a neighbour during all-reduce #{sequence}: {e.Message}", e);
        }
    }

    private void SendAll(Memory<float> data, RingSchedule schedule, long sequence, SemaphoreSlim forwardable, CancellationToken failed)
    {
        LastSenderThreadId = Environment.CurrentManagedThreadId;
        Span<byte> header = stackalloc byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(header, sequence);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], data.Length);
        SendExactly(_next!, header);
        for (int step = 0; step < schedule.Steps; step++)
            foreach (var (offset, count) in schedule.Chunks(schedule.SendSegment(Rank, step)))
            {
                // After step 0 every chunk sent is one this member received (and reduced) in the step before.
                if (step > 0) forwardable.Wait(failed);
                SendExactly(_next!, MemoryMarshal.AsBytes(data.Span.Slice(offset, count)));
            }
    }

    private void ReceiveAll(Memory<float> data, RingSchedule schedule, long sequence, SemaphoreSlim forwardable)
    {
        Span<byte> header = stackalloc byte[16];
        ReceiveExactly(_prev!, header);
        long theirSequence = BinaryPrimitives.ReadInt64LittleEndian(header), theirLength = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
        if (theirSequence != sequence || theirLength != data.Length)
            throw new RingBrokenException($"ring {_ringId}: rank {Rank} expected all-reduce #{sequence} of {data.Length} floats, " +
                $"its predecessor sent #{theirSequence} of {theirLength}: the replicas have diverged");
        float scale = 1f / Size;
        for (int step = 0; step < schedule.Steps; step++)
        {
            bool reduce = schedule.IsReduceStep(step), complete = schedule.IsLastReduceStep(step);
            foreach (var (offset, count) in schedule.Chunks(schedule.ReceiveSegment(Rank, step)))
            {
                var target = data.Span.Slice(offset, count);
                if (reduce)
                {
                    var incoming = _scratch.AsSpan(0, count * sizeof(float));
                    ReceiveExactly(_prev!, incoming);
                    Accumulate(target, MemoryMarshal.Cast<byte, float>(incoming), complete ? scale : 1f);
                }
                else
                {
                    ReceiveExactly(_prev!, MemoryMarshal.AsBytes(target));
                }
                if (step < schedule.Steps - 1) forwardable.Release();
            }
        }
    }

    /// <summary>target = (target + incoming) · scale, vectorised.</summary>
    private static void Accumulate(Span<float> target, ReadOnlySpan<float> incoming, float scale)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var t = MemoryMarshal.Cast<float, Vector<float>>(target);
            var s = MemoryMarshal.Cast<float, Vector<float>>(incoming);
            for (int v = 0; v < t.Length; v++) t[v] = (t[v] + s[v]) * scale;
            i = t.Length * Vector<float>.Count;
        }
        for (; i < target.Length; i++) target[i] = (target[i] + incoming[i]) * scale;
    }

    private static void SendExactly(Socket socket, ReadOnlySpan<byte> bytes)
    {
        while (bytes.Length > 0) bytes = bytes[socket.Send(bytes)..];
    }

    private void ReceiveExactly(Socket socket, Span<byte> bytes)
    {
        while (bytes.Length > 0)
        {
            int n = socket.Receive(bytes);
            if (n == 0) throw new RingBrokenException($"ring {_ringId}: rank {Rank}'s predecessor closed the connection");
            bytes = bytes[n..];
        }
    }

    private Socket NewSocket()
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        Configure(socket);
        return socket;
    }

    private void Configure(Socket socket)
    {
        socket.NoDelay = true;
        socket.SendBufferSize = socket.ReceiveBufferSize = 4 << 20;
        // A member that hangs (not just one that dies, which closes its sockets) is noticed here.
        socket.SendTimeout = socket.ReceiveTimeout = (int)_timeout.TotalMilliseconds;
    }

    private void CloseLinks()
    {
        _next?.Dispose();
        _prev?.Dispose();
        _next = _prev = null;
    }

    public void Dispose()
    {
        CloseLinks();
        _listener.Dispose();
        // Idempotent: a ring is disposed by its shard's Close and again by whoever owns it.
        _sender?.Dispose();
        _sender = null;
    }
}
