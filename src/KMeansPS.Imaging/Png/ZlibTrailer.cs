using System.IO.Compression;

namespace KMeansPS.Imaging.Png;

/// <summary>
/// A zlib stream's end: its Adler-32 checksum of everything it inflates to. A decoder that stops reading once it has
/// its rows never reaches it, so a stream with bytes dropped from its middle (the IDAT chunk's CRC recomputed to
/// match) that still inflates to enough bytes was decoded into a garbled picture. zlib checks the checksum when it
/// reaches the end, so <see cref="ReadsToItsEnd"/> reads on to there; libpng reports the mismatch, pngcheck refuses it.
/// </summary>
internal static class ZlibTrailer
{
    /// <summary>More than this many bytes after the rows' (libpng's "extra compressed data") are not read: no verdict.</summary>
    private const int MaxExtraBytes = 1 << 20;

    /// <summary>
    /// Reads <paramref name="zlib"/> (a <see cref="ZLibStream"/> whose rows were read) to its end, so that zlib checks
    /// the trailer; throws <see cref="InvalidDataException"/> when the checksum (or the data after the rows) is wrong.
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
    }

    /// <summary>
    /// The problem when the zlib stream <paramref name="open"/> gives (opened twice: its header, then whole), which the
    /// caller found to inflate to at least <paramref name="needed"/> bytes, fails its checksum (or its data after those
    /// bytes is corrupt); null when it passes, or when zlib would refuse its header (a preset dictionary, wrong check
    /// bits: left to the decoders, as ImageSharp reads such a header).
    /// </summary>
    public static string? ChecksumProblem(Func<Stream> open, long needed) => ChecksumProblem(open, needed, "the PNG image data");

    /// <summary>
    /// As <see cref="ChecksumProblem(Func{Stream}, long)"/>, saying what the stream is (<paramref name="what"/>, "the TIFF
    /// strip 3"): libtiff's Deflate decoder checks the same checksum and fails the strip.
    /// </summary>
    public static string? ChecksumProblem(Func<Stream> open, long needed, string what)
    {
        using (Stream header = open())
        {
            int cmf = header.ReadByte(), flags = header.ReadByte();
            if (cmf < 0 || flags < 0 || (cmf & 0x0F) != 8 || (cmf * 256 + flags) % 31 != 0 || (flags & 0x20) != 0) return null;
        }
        using Stream source = open();
        byte[] scratch = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            // The same inflater gave the rows' bytes without an error, so an error here lies at or after their end.
            using var zlib = new ZLibStream(source, CompressionMode.Decompress);
            long total = 0;
            while (total < needed + MaxExtraBytes)
            {
                int n = zlib.Read(scratch, 0, scratch.Length);
                if (n == 0) break;
                total += n;
            }
            return null;
        }
        catch (InvalidDataException)
        {
            // Not the exception's words: .NET calls a failed checksum "an unsupported compression method".
            return $"{what} fails its zlib checksum (Adler-32), or is corrupt after its rows: bytes of it were lost or changed";
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}
