using System.Buffers.Binary;

namespace KMeansPS.Imaging.Bmp;

/// <summary>
/// RLE8 and RLE4 bitmaps whose runs reach past the end of their row: ImageMagick pads every row of an odd width
/// with one more pixel before its end-of-line code. PIL and ImageMagick drop what a run gives past the row's end;
/// ImageSharp 2.1 carries it into the next row, whose end-of-line code then skips the rest of that row, so rows came
/// out shifted or black while the output was reported lossless. <see cref="Clip"/> rewrites the codes with every run
/// cut at its row's end and the runs after it dropped until the end-of-line code, as PIL reads encoded runs and
/// ImageMagick every run (the integrity
/// scanner walks the result), and <see cref="ForImageSharp"/> hands ImageSharp a copy holding them. Everything else
/// is left as it is.
/// </summary>
internal static class RleRowClipping
{
    private const int RLE8 = 1, RLE4 = 2;

    /// <summary>
    /// <paramref name="data"/> (the codes from the first) with each encoded or absolute run that crosses the end of its
    /// row cut there; <paramref name="clipped"/> tells whether any was. Codes are copied as far as they are whole, so
    /// data cut short stays cut short.
    /// </summary>
    public static byte[] Clip(ReadOnlySpan<byte> data, long width, bool fourBit, out bool clipped)
    {
        clipped = false;
        var output = new List<byte>(data.Length);
        long index = 0;
        bool full = false; // a run filled the row: the index stands at the next row's start, but runs are cut until an end of line
        int p = 0;
        while (data.Length - p >= 2)
        {
            int first = data[p], second = data[p + 1];
            if (first != 0)
            {
                // An encoded run: RLE4 alternates the byte's two nibbles from the run's first pixel, so a cut run keeps its start.
                int count = Fit(index, width, first, ref full);
                clipped |= count < first;
                if (count > 0) output.AddRange([(byte)count, (byte)second]);
                index += count;
                p += 2;
                continue;
            }
            if (second is 0 or 1)
            {
                output.AddRange([0, (byte)second]);
                if (second == 1) break; // end of bitmap: what follows is not read
                if (!full && index % width != 0) index = (index / width + 1) * width; // end of line
                full = false;
                p += 2;
                continue;
            }
            if (second == 2)
            {
                if (data.Length - p < 4) break;
                output.AddRange(data.Slice(p, 4).ToArray());
                index += data[p + 2] + (long)data[p + 3] * width;
                full = false;
                p += 4;
                continue;
            }
            // An absolute run of 'second' pixels, its bytes padded to an even number.
            int bytes = fourBit ? (second + 1) / 2 : second;
            bytes += bytes & 1;
            if (data.Length - p - 2 < bytes) break;
            ReadOnlySpan<byte> run = data.Slice(p + 2, bytes);
            int kept = Fit(index, width, second, ref full);
            clipped |= kept < second;
            Absolute(output, run, kept, fourBit);
            index += kept;
            p += 2 + bytes;
        }
        // Bytes after the last whole code (a cut file): kept, so the walk still sees data end inside a code.
        if (p < data.Length && (data.Length - p < 2 || data[p] != 0 || data[p + 1] != 1)) output.AddRange(data[p..].ToArray());
        return [.. output];
    }

    /// <summary>
    /// A copy of a bottom-up RLE8 or RLE4 bitmap (a header of 40 bytes or more; also the first bitmap of an OS/2 "BA"
    /// array, which ImageSharp reads) whose codes <see cref="Clip"/> cut, with the file and image sizes in its headers
    /// set to match; <paramref name="file"/> itself when no run crosses a row's end.
    /// </summary>
    public static byte[] ForImageSharp(byte[] file)
    {
        int start = file.Length >= 2 && file[0] == 'B' && file[1] == 'A' ? 14 : 0;
        if (file.Length < start + 54 || file[start] != 'B' || file[start + 1] != 'M') return file;
        int header = start + 14;
        int headerSize = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(header));
        if (headerSize < 40 || headerSize > 124) return file;
        int width = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(header + 4)), height = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(header + 8));
        int bits = BinaryPrimitives.ReadInt16LittleEndian(file.AsSpan(header + 14)), compression = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(header + 16));
        // The pixel offset counts from the start of the file, as the scanner reads it (an array's too).
        long pixelOffset = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(start + 10));
        if (width <= 0 || height <= 0 || pixelOffset < header + headerSize || pixelOffset > file.Length) return file;
        if (!(compression == RLE8 && bits == 8) && !(compression == RLE4 && bits == 4)) return file;
        byte[] codes = Clip(file.AsSpan((int)pixelOffset), width, compression == RLE4, out bool clipped);
        if (!clipped) return file;
        byte[] copy = [.. file.AsSpan(0, (int)pixelOffset), .. codes];
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(start + 2), (uint)copy.Length);
        if (start > 0) BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(2), (uint)copy.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(header + 20), (uint)codes.Length);
        return copy;
    }

    /// <summary>How many of <paramref name="count"/> pixels from <paramref name="index"/> fall in its row (none once it is <paramref name="full"/>), noting when they fill it.</summary>
    private static int Fit(long index, long width, int count, ref bool full)
    {
        if (full) return 0;
        long left = width - index % width;
        if (count < left) return count;
        full = true;
        return (int)left;
    }

    /// <summary>The first <paramref name="kept"/> pixels of an absolute run: as one when there are 3 or more (the least an absolute run holds), else as runs of one.</summary>
    private static void Absolute(List<byte> output, ReadOnlySpan<byte> run, int kept, bool fourBit)
    {
        if (kept >= 3)
        {
            int bytes = fourBit ? (kept + 1) / 2 : kept;
            output.AddRange([0, (byte)kept]);
            output.AddRange(run[..bytes].ToArray());
            if (fourBit && (kept & 1) != 0) output[^1] &= 0xF0; // the last byte's unused low nibble
            if ((bytes & 1) != 0) output.Add(0);
            return;
        }
        for (int i = 0; i < kept; i++)
        {
            int pixel = fourBit ? (i & 1) == 0 ? run[i / 2] >> 4 : run[i / 2] & 15 : run[i];
            output.AddRange([1, (byte)(fourBit ? pixel << 4 : pixel)]);
        }
    }
}
