using System.IO.Compression;
using KMeansPS.Imaging.IO;

namespace KMeansPS.Imaging.Png;

/// <summary>
/// A zlib stream's end: its final block, then its Adler-32 checksum of everything it inflates to. A decoder that
/// stops reading once it has its rows never reaches it, so a stream with bytes dropped from its middle (the IDAT
/// chunk's CRC recomputed to match) that still inflates to enough bytes was decoded into a garbled picture. zlib
/// checks the checksum when it reaches the end, so <see cref="ReadsToItsEnd"/> reads on to there; libpng reports
/// the mismatch, pngcheck refuses it. A stream whose data runs out before its end passes .NET's inflater without an
/// error (it takes the end of the input for the end of the data), so the stream is read <see cref="Padded"/>: past
/// its bytes come zeros without end, which no ended stream reads and a cut one turns into an error or into more
/// output than any file's rows (libtiff fails such a TIFF strip, or leaves its last bytes unwritten).
/// </summary>
internal static class ZlibTrailer
{
    /// <summary>More than this many bytes after the rows' (libpng's "extra compressed data") are not read: no verdict.</summary>
    private const int MaxExtraBytes = 1 << 20;

    /// <summary>
    /// <paramref name="source"/>, then zeros without end: an inflater reading it meets an error, or goes on making
    /// bytes, where the stream does not end within its data.
    /// </summary>
    public static Stream Padded(Stream source) => new ZeroPadded(source);

    /// <summary>
    /// Reads <paramref name="zlib"/> (a <see cref="ZLibStream"/> over a <see cref="Padded"/> source, whose rows were
    /// read) to its end, so that zlib checks the trailer; throws <see cref="InvalidDataException"/> when the checksum
    /// (or the data after the rows) is wrong, or when the stream does not end within <see cref="MaxExtraBytes"/>.
    /// </summary>
    public static void ReadsToItsEnd(Stream zlib)
    {
        Span<byte> scratch = stackalloc byte[512];
        int extra = 0;
        while (extra < MaxExtraBytes)
        {
            int n = zlib.Read(scratch);
            if (n == 0) return;
            extra += n;
        }
        throw new InvalidDataException("The zlib stream does not end after its rows.");
    }

    /// <summary>
    /// The problem when the zlib stream <paramref name="open"/> gives (opened up to three times), which the caller found
    /// to inflate to at least <paramref name="needed"/> bytes, has a header zlib refuses, fails its checksum (or its data
    /// after those bytes is corrupt), asks for a preset dictionary, or does not end within its data; null when it passes.
    /// </summary>
    public static string? ChecksumProblem(Func<Stream> open, long needed) => ChecksumProblem(open, needed, "the PNG image data");

    /// <summary>
    /// As <see cref="ChecksumProblem(Func{Stream}, long)"/>, saying what the stream is (<paramref name="what"/>, "the TIFF
    /// strip 3"): libtiff's Deflate decoder checks the same header and checksum and fails the strip.
    /// </summary>
    public static string? ChecksumProblem(Func<Stream> open, long needed, string what)
    {
        using (Stream start = open())
        {
            if (Integrity.ZlibHeader.Read(start) is not { } header) return null;
            if (header.ZlibRefusal(what) is string refusal) return refusal;
            // PNG forbids a preset dictionary and TIFF's Deflate has none to give: libpng ("missing LZ dictionary") and
            // libtiff refuse such a stream, where ImageSharp skips the dictionary's id and reads on.
            if (header.NeedsDictionary) return $"{what} asks for a preset zlib dictionary, which the format does not provide (libpng and libtiff refuse it)";
        }
        try
        {
            if (InflatesWithin(Padded(open()), needed)) return null;
            // More than the allowance after the rows: real data of that length (no verdict), or zeros read past a cut.
            return InflatesWithin(open(), needed)
                ? $"{what} does not end within its data (no final block and checksum): it is cut short, or bytes of it were lost or changed"
                : null;
        }
        catch (InvalidDataException)
        {
            // Not the exception's words: .NET calls a failed checksum "an unsupported compression method".
            return $"{what} fails its zlib checksum (Adler-32), or is corrupt after its rows, or does not end within its data: bytes of it were lost or changed";
        }
    }

    /// <summary>True when the zlib stream in <paramref name="source"/> ends within <paramref name="needed"/> + <see cref="MaxExtraBytes"/> bytes of output.</summary>
    private static bool InflatesWithin(Stream source, long needed)
    {
        byte[] scratch = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            using var zlib = new ZLibStream(source, CompressionMode.Decompress);
            long total = 0;
            while (total < needed + MaxExtraBytes)
            {
                int n = zlib.Read(scratch, 0, scratch.Length);
                if (n == 0) return true;
                total += n;
            }
            return false;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private sealed class ZeroPadded(Stream source) : ReadOnlyForwardStream
    {
        private bool _sourceEnded;

        public override int Read(Span<byte> buffer)
        {
            if (!_sourceEnded)
            {
                int n = source.Read(buffer);
                if (n > 0) return n;
                _sourceEnded = true;
            }
            buffer.Clear();
            return buffer.Length;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) source.Dispose();
            base.Dispose(disposing);
        }
    }
}
