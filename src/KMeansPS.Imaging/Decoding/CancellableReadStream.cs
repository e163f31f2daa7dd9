namespace KMeansPS.Imaging.Decoding;

/// <summary>
/// A file's bytes for ImageSharp to decode from, read-only, that throw <see cref="OperationCanceledException"/> at the
/// next read once the token is cancelled. ImageSharp 2.1 hands its decoders a token that only the JPEG and TIFF ones
/// look at (per scan and per strip); the BMP, PNG, GIF, TGA and PBM ones read the file a few kilobytes or a row at a
/// time as they go, so a read is where a stop reaches them. (The WebP one reads its image data in one piece first: a
/// stop reaches it only when its decode is done.)
/// </summary>
internal sealed class CancellableReadStream(byte[] file, CancellationToken cancellationToken) : Stream
{
    private readonly MemoryStream bytes = new(file, writable: false);
    private long bytesRead;

    /// <summary>
    /// Told how many bytes have been read in all and the stream's length after each read, on the decoding thread; for
    /// tests, which cancel from it once a chosen share of the file is read (a deterministic "mid-way").
    /// </summary>
    [ThreadStatic]
    internal static Action<long, long>? ReadObserver;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => bytes.Length;

    public override long Position
    {
        get => bytes.Position;
        set => bytes.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int read = bytes.Read(buffer);
        bytesRead += read;
        ReadObserver?.Invoke(bytesRead, bytes.Length);
        return read;
    }

    public override int ReadByte()
    {
        cancellationToken.ThrowIfCancellationRequested();
        int value = bytes.ReadByte();
        if (value >= 0) bytesRead++;
        ReadObserver?.Invoke(bytesRead, bytes.Length);
        return value;
    }

    public override long Seek(long offset, SeekOrigin origin) => bytes.Seek(offset, origin);
    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) bytes.Dispose();
        base.Dispose(disposing);
    }
}
