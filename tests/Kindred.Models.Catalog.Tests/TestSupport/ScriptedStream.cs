namespace Kindred.Models.Catalog.Tests.TestSupport;

/// <summary>A read-only stream over another that can fail or hang after a given number of bytes, for broken-connection tests.</summary>
internal sealed class ScriptedStream(Stream inner, long failAfter, Func<CancellationToken, Task<int>> whenReached) : Stream
{
    private long position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => position; set => throw new NotSupportedException(); }

    /// <summary>Throws an <see cref="IOException"/> like a reset connection once <paramref name="bytes"/> have been read.</summary>
    public static Func<Stream, Stream> ResetAfter(long bytes) =>
        s => new ScriptedStream(s, bytes, _ => throw new IOException("Connection reset by peer."));

    /// <summary>Signals <paramref name="reached"/> once <paramref name="bytes"/> have been read, then delivers nothing until cancelled.</summary>
    public static Func<Stream, Stream> HangAfter(long bytes, TaskCompletionSource reached) =>
        s => new ScriptedStream(s, bytes, async ct =>
        {
            reached.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return 0;
        });

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (position >= failAfter)
        {
            return await whenReached(cancellationToken);
        }

        var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, failAfter - position)], cancellationToken);
        position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
