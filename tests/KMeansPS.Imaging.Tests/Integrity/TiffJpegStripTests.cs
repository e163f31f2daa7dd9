using System.Buffers.Binary;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Tiff.Constants;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// A JPEG-compressed TIFF strip cut short with its end-of-image marker put back and its byte count set to match was
/// padded into a picture by ImageSharp 2.1 (libtiff reports "premature end of data segment"); the strip's scans are
/// now checked as a standalone JPEG's are.
/// </summary>
public sealed class TiffJpegStripTests
{
    [Theory]
    [InlineData(0.2)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void AJpegStripCutWithItsEndMarkerPutBackIsDamaged(double keep)
    {
        using Image<Rgba32> image = CorpusImages.Noisy(48, 32, seed: 4);
        using var stream = new MemoryStream();
        image.Save(stream, new TiffEncoder { Compression = TiffCompression.Jpeg, BitsPerPixel = TiffBitsPerPixel.Bit24 });
        byte[] file = stream.ToArray();
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(file).Verdict);

        (int offsetAt, int countAt) = StripEntries(file);
        int start = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offsetAt));
        int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(countAt));
        int kept = (int)(length * keep);
        byte[] cut = (byte[])file.Clone();
        cut[start + kept] = 0xFF;
        cut[start + kept + 1] = 0xD9;
        cut.AsSpan(start + kept + 2, length - kept - 2).Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(cut.AsSpan(countAt), (uint)(kept + 2));
        IntegrityReport report = FileIntegrity.Check(cut);
        Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{report.Verdict}: {report.Reason}");
        Assert.Contains("damaged JPEG", report.Reason, StringComparison.Ordinal);
    }

    /// <summary>Where the first directory's StripOffsets and StripByteCounts values are (one strip: inline LONGs).</summary>
    private static (int OffsetAt, int CountAt) StripEntries(byte[] file)
    {
        Assert.Equal((byte)'I', file[0]);
        int ifd = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4));
        int count = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(ifd));
        int offsetAt = -1, countAt = -1;
        for (int i = 0; i < count; i++)
        {
            int entry = ifd + 2 + 12 * i;
            int tag = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(entry));
            Assert.True(tag is not (273 or 279) || BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(entry + 4)) == 1, "one strip");
            if (tag == 273) offsetAt = entry + 8;
            if (tag == 279) countAt = entry + 8;
        }
        Assert.True(offsetAt > 0 && countAt > 0);
        return (offsetAt, countAt);
    }
}
