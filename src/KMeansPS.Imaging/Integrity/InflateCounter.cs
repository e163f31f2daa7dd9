using System.Buffers;
using System.IO.Compression;

namespace KMeansPS.Imaging.Integrity;

/// <summary>Counts the bytes a zlib stream inflates to, up to a limit, through a fixed scratch buffer (nothing is kept).</summary>
internal static class InflateCounter
{
    /// <summary>
    /// Reads the zlib header as ImageSharp 2.1 does (<see cref="ZlibHeader.IsDeflate"/>, a preset dictionary id
    /// skipped; the check bits are not checked). False when it is not one.
    /// </summary>
    public static bool SkipZlibHeader(Stream source)
    {
        if (ZlibHeader.Read(source) is not { IsDeflate: true } header) return false;
        if (header.NeedsDictionary)
        {
            Span<byte> dictionary = stackalloc byte[4];
            if (source.ReadAtLeast(dictionary, 4, throwOnEndOfStream: false) != 4) return false;
        }
        return true;
    }

    /// <summary>
    /// Inflates the raw deflate data in <paramref name="source"/> until <paramref name="wanted"/> bytes came out or
    /// the data ended; returns the count. <paramref name="error"/> is the inflater's message when the data is corrupt.
    /// </summary>
    public static long Count(Stream source, long wanted, out string? error)
    {
        error = null;
        long total = 0;
        byte[] scratch = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            using var inflater = new DeflateStream(source, CompressionMode.Decompress, leaveOpen: true);
            while (total < wanted)
            {
                int n = inflater.Read(scratch, 0, (int)Math.Min(scratch.Length, wanted - total));
                if (n == 0) break;
                total += n;
            }
        }
        catch (InvalidDataException ex)
        {
            error = ex.Message;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
        return total;
    }
}
