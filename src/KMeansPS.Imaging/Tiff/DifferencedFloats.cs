using System.Buffers.Binary;
using System.IO.Compression;
using KMeansPS.Imaging.Integrity;
using static KMeansPS.Imaging.Tiff.TiffTags;

namespace KMeansPS.Imaging.Tiff;

/// <summary>
/// A TIFF of 32-bit floating-point samples (SampleFormat 3) whose LZW or Deflate strips hold them with horizontal
/// differencing (Predictor 2, as <c>tiffcp -c zip:2</c> writes them): ImageSharp 2.1 decodes them without undoing it,
/// a nearly black picture. libtiff undoes it on each sample's 32-bit word as an unsigned integer in the file's byte
/// order (tif_predict.c's horAcc32, after swapping the bytes of the other order), adding the same sample of the pixel
/// to its left; so does the copy ImageSharp is handed, whose strips are those undone rows, uncompressed, after the
/// file, with Compression 1 and no Predictor (<c>TiffFirstDirectory.Rewritten</c>; a classic TIFF, whose strips the
/// scanner has checked hold their rows).
/// </summary>
internal static class DifferencedFloats
{
    /// <summary><paramref name="file"/> itself unless its first directory says differenced 32-bit floats in LZW or Deflate strips; else the copy.</summary>
    /// <exception cref="InsufficientMemoryException">The copy would be larger than an array can be.</exception>
    public static byte[] Undone(byte[] file)
    {
        if (TiffFirstDirectory.Read(file) is not { } directory || directory.Value(Predictor) != 2 || directory.Value(SampleFormat) != 3) return file;
        long? method = directory.Value(Compression);
        if (method is not (5 or 8 or 32946)) return file;
        long samples = directory.Value(SamplesPerPixel) ?? 1;
        // Samples in separate planes with a predictor are refused by the scanner, unless one sample is the one plane.
        if (samples is < 1 or > 64 || (samples > 1 && directory.Value(PlanarConfiguration) == 2)) return file;
        for (int s = 0; s < Math.Max(1, directory.Count(BitsPerSample)); s++)
            if (directory.Value(BitsPerSample, s) != 32) return file;
        if (directory.Value(ImageWidth) is not long width || directory.Value(ImageLength) is not long height || width <= 0 || height <= 0) return file;
        long perStrip = Math.Min(directory.Value(RowsPerStrip) ?? height, height);
        if (perStrip <= 0) return file;
        long strips = (height + perStrip - 1) / perStrip;
        if (directory.Count(StripOffsets) < strips || directory.Count(StripByteCounts) < strips) return file;

        long stride = width * samples * 4, total = stride <= Array.MaxLength ? stride * height : long.MaxValue;
        if (total > Array.MaxLength) throw new InsufficientMemoryException($"The undone rows of {total:N0} bytes cannot be held.");
        var offsets = new uint[strips];
        var counts = new uint[strips];
        for (long s = 0; s < strips; s++)
        {
            offsets[s] = (uint)(directory.RoomAt + s * perStrip * stride);
            counts[s] = (uint)(Math.Min(perStrip, height - s * perStrip) * stride);
        }
        byte[] copy = directory.Rewritten(
            new Dictionary<ushort, uint[]> { [Compression] = [1], [StripOffsets] = offsets, [StripByteCounts] = counts }, [Predictor], room: (int)total);
        var lzw = method == 5 ? new TiffLzwDecoder() : null;
        for (int s = 0; s < strips; s++)
        {
            if (directory.Value(StripOffsets, s) is not long start || directory.Value(StripByteCounts, s) is not long length) return file;
            if (start < 0 || start >= file.Length) return file;
            ReadOnlyMemory<byte> data = file.AsMemory((int)start, (int)Math.Min(length, file.Length - start));
            Span<byte> rows = copy.AsSpan((int)offsets[s], (int)counts[s]);
            // A strip that does not decode is left to ImageSharp as it was, to fail on or pad as it does.
            if (!Decompressed(data, lzw, rows)) return file;
            for (int row = 0; row < rows.Length; row += (int)stride)
                Accumulate(rows.Slice(row, (int)stride), (int)samples, directory.Little);
        }
        return copy;
    }

    /// <summary>Fills <paramref name="rows"/> from one LZW strip (<paramref name="lzw"/> given) or Deflate strip; false when its data does not give them.</summary>
    private static bool Decompressed(ReadOnlyMemory<byte> data, TiffLzwDecoder? lzw, Span<byte> rows)
    {
        if (lzw is not null) return !TiffLzwDecoder.IsOldStyle(data.Span) && lzw.Decode(data.Span, rows) == rows.Length;
        // The zlib header read as the scanner and ImageSharp read it (a preset dictionary's id skipped).
        var source = new ReadOnlyMemoryStream(data);
        if (!InflateCounter.SkipZlibHeader(source)) return false;
        try
        {
            using var inflater = new DeflateStream(source, CompressionMode.Decompress);
            return inflater.ReadAtLeast(rows, rows.Length, throwOnEndOfStream: false) == rows.Length;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>Each 32-bit word plus the word <paramref name="samples"/> to its left, as unsigned integers in the file's byte order.</summary>
    private static void Accumulate(Span<byte> row, int samples, bool little)
    {
        for (int at = 4 * samples; at + 4 <= row.Length; at += 4)
        {
            Span<byte> word = row.Slice(at, 4);
            ReadOnlySpan<byte> left = row.Slice(at - 4 * samples, 4);
            if (little) BinaryPrimitives.WriteUInt32LittleEndian(word, BinaryPrimitives.ReadUInt32LittleEndian(word) + BinaryPrimitives.ReadUInt32LittleEndian(left));
            else BinaryPrimitives.WriteUInt32BigEndian(word, BinaryPrimitives.ReadUInt32BigEndian(word) + BinaryPrimitives.ReadUInt32BigEndian(left));
        }
    }
}
