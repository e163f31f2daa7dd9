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
    public static long Count(Stream source, long wanted, out string? error) => Count(source, wanted, 0, out error, out _, out _);

    /// <summary>
    /// As <see cref="Count(Stream, long, out string?)"/>, for the rows of a PNG that is not interlaced: each row of
    /// <paramref name="rowBytes"/> bytes starts with its filter type, and the first row whose type PNG does not define
    /// (above 4) is <paramref name="badFilterRow"/> (counting from 1; 0 when none) with that type,
    /// <paramref name="badFilterType"/>: the counting stops there.
    /// </summary>
    public static long Count(Stream source, long wanted, long rowBytes, out string? error, out long badFilterRow, out int badFilterType)
    {
        error = null;
        badFilterRow = 0;
        badFilterType = 0;
        long total = 0;
        byte[] scratch = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            using var inflater = new DeflateStream(source, CompressionMode.Decompress, leaveOpen: true);
            while (total < wanted)
            {
                int n = inflater.Read(scratch, 0, (int)Math.Min(scratch.Length, wanted - total));
                if (n == 0) break;
                if (rowBytes > 0)
                {
                    // The first filter byte at or after this read's start.
                    for (long at = (rowBytes - total % rowBytes) % rowBytes; at < n; at += rowBytes)
                    {
                        if (scratch[at] <= 4) continue;
                        badFilterRow = (total + at) / rowBytes + 1;
                        badFilterType = scratch[at];
                        return total + at;
                    }
                }
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
