using System.Buffers;
using System.IO.Compression;
using KMeansPS.Imaging.Png.Filters;

namespace KMeansPS.Imaging.Integrity;

/// <summary>
/// A palette PNG's pixels against its palette: the PNG specification calls an index beyond the PLTE's entries an
/// error, and decoders disagree on its colour (libpng and so pngquant give opaque black, ImageSharp 2.1 the last
/// entry, ImageMagick the first, PIL the index as grey), so such a file has no one image to compress. Run only when the
/// palette is shorter than the bit depth's indices, and in the full check (the one that inflates the image data: it
/// then stands for that inflation); the image data is inflated and its filters undone row by row (two rows held),
/// Adam7 passes included.
/// </summary>
internal static class PngPaletteIndexCheck
{
    /// <summary>What the check found.</summary>
    internal enum Outcome
    {
        /// <summary>Every row was there and every index names an entry: the data also holds every byte the rows need.</summary>
        AllIndicesNamed,
        /// <summary>A pixel's index names no entry (the problem says which).</summary>
        IndexBeyond,
        /// <summary>The data is corrupt, ends, or has an undefined filter type before the last row, or a row is too long to hold: the scan's own checks say what.</summary>
        NotFinished,
    }

    /// <summary>
    /// Looks for the first pixel, in the order the data holds them, whose index names no palette entry; its
    /// <paramref name="problem"/> is the report's reason.
    /// </summary>
    /// <param name="file">The whole PNG file.</param>
    /// <param name="runStart">Offset of the first IDAT chunk of the run ImageSharp reads.</param>
    /// <param name="runEnd">Offset just past that run's last chunk.</param>
    /// <param name="width">The header's width.</param>
    /// <param name="height">The header's height.</param>
    /// <param name="bitDepth">The header's bit depth: 1, 2, 4 or 8.</param>
    /// <param name="interlace">The header's interlace method: 0 none, 1 Adam7.</param>
    /// <param name="entries">The PLTE's colours, fewer than 2^<paramref name="bitDepth"/>.</param>
    /// <param name="problem">With <see cref="Outcome.IndexBeyond"/>, which pixel and index; else null.</param>
    public static Outcome FindIndexBeyond(ReadOnlyMemory<byte> file, int runStart, int runEnd, int width, int height, byte bitDepth,
        byte interlace, int entries, out string? problem)
    {
        problem = null;
        using var run = new PngIdatRunStream(file, runStart, runEnd);
        if (!InflateCounter.SkipZlibHeader(run)) return Outcome.NotFinished;
        using var inflater = new DeflateStream(run, CompressionMode.Decompress, leaveOpen: true);
        bool[] beyond = BytesHoldingAnIndexBeyond(bitDepth, entries);
        int passes = interlace == 1 ? 7 : 1;
        for (int pass = 0; pass < passes; pass++)
        {
            (int x0, int y0, int dx, int dy) = interlace == 1 ? Adam7.Pass(pass) : (0, 0, 1, 1);
            (long passColumns, long passRows) = interlace == 1 ? Adam7.Size(pass, width, height) : (width, height);
            int columns = (int)passColumns, rows = (int)passRows;
            if (columns == 0 || rows == 0) continue; // an empty pass has no rows, not even filter bytes
            long samplesBytes = ((long)columns * bitDepth + 7) / 8;
            if (samplesBytes >= Array.MaxLength) return Outcome.NotFinished; // a row no array holds: ImageSharp cannot either
            int rowBytes = (int)samplesBytes;
            byte[] current = ArrayPool<byte>.Shared.Rent(rowBytes + 1), previous = ArrayPool<byte>.Shared.Rent(rowBytes + 1);
            try
            {
                previous.AsSpan(0, rowBytes + 1).Clear(); // the row above a pass's first row is zeros
                for (int row = 0; row < rows; row++)
                {
                    Span<byte> line = current.AsSpan(0, rowBytes + 1);
                    if (!ReadRow(inflater, line)) return Outcome.NotFinished;
                    Span<byte> samples = line[1..];
                    if (!ReferenceFilters.Undo(line[0], samples, previous.AsSpan(1, rowBytes), 1)) return Outcome.NotFinished;
                    int column = FirstColumnBeyond(samples, columns, bitDepth, entries, beyond);
                    if (column >= 0)
                    {
                        int index = PackedIndex.At(samples, column, bitDepth);
                        long x = x0 + (long)column * dx, y = y0 + (long)row * dy;
                        problem = $"the palette PNG's pixel at ({Plain.N(x)}, {Plain.N(y)}) uses colour index {index}, beyond its palette (PLTE) of "
                            + $"{Plain.N(entries)} colour{(entries == 1 ? "" : "s")}; PNG calls that an error, and decoders disagree on its colour";
                        return Outcome.IndexBeyond;
                    }
                    (current, previous) = (previous, current);
                }
            }
            catch (InvalidDataException)
            {
                return Outcome.NotFinished;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(current);
                ArrayPool<byte>.Shared.Return(previous);
            }
        }
        return Outcome.AllIndicesNamed;
    }

    private static bool ReadRow(Stream inflater, Span<byte> line) =>
        inflater.ReadAtLeast(line, line.Length, throwOnEndOfStream: false) == line.Length;

    /// <summary>For each byte value, whether one of the indices packed in it is <paramref name="entries"/> or more.</summary>
    private static bool[] BytesHoldingAnIndexBeyond(byte bitDepth, int entries)
    {
        var table = new bool[256];
        int perByte = 8 / bitDepth, mask = (1 << bitDepth) - 1;
        for (int value = 0; value < 256; value++)
            for (int i = 0; i < perByte; i++)
                if (((value >> (i * bitDepth)) & mask) >= entries) table[value] = true;
        return table;
    }

    /// <summary>The first column whose index is <paramref name="entries"/> or more, or -1; padding bits after the last column are not pixels.</summary>
    private static int FirstColumnBeyond(ReadOnlySpan<byte> samples, int columns, byte bitDepth, int entries, bool[] beyond)
    {
        if (bitDepth == 8) return samples[..columns].IndexOfAnyInRange((byte)entries, byte.MaxValue);
        int wholeBytes = (int)((long)columns * bitDepth / 8), perByte = 8 / bitDepth;
        for (int i = 0; i < wholeBytes; i++)
        {
            if (!beyond[samples[i]]) continue;
            for (int column = i * perByte; ; column++)
                if (PackedIndex.At(samples, column, bitDepth) >= entries) return column;
        }
        for (int column = wholeBytes * perByte; column < columns; column++)
            if (PackedIndex.At(samples, column, bitDepth) >= entries) return column;
        return -1;
    }
}
