using System.Buffers.Binary;
using KMeansPS.Imaging.Jpeg;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Jpeg;

/// <summary>What the header and the application segments say: size, colour space, sampling, EXIF orientation, ICC profile, density.</summary>
public class JpegMetadataTests
{
    private static readonly RgbaImage Image = JpegSamples.Photo(20, 12, seed: 1);

    [Fact]
    public void The_header_describes_the_frame()
    {
        JpegHeader baseline = ExactJpegDecoder.ReadHeader(JpegSamples.ImageSharpJpeg(Image, JpegColorType.YCbCrRatio420));
        Assert.Equal((20, 12, JpegColorSpace.YCbCr, false, "2x2 1x1 1x1"), (baseline.Width, baseline.Height, baseline.ColorSpace, baseline.IsProgressive, baseline.Sampling));
        Assert.Equal(240, baseline.PixelCount);

        JpegHeader progressive = ExactJpegDecoder.ReadHeader(LibjpegTools.Cjpeg(Image, "-sample 2x1 -progressive"));
        Assert.Equal((true, "2x1 1x1 1x1"), (progressive.IsProgressive, progressive.Sampling));

        JpegHeader grey = ExactJpegDecoder.ReadHeader(JpegSamples.ImageSharpJpeg(Image, JpegColorType.Luminance));
        Assert.Equal((JpegColorSpace.Grey, "1x1"), (grey.ColorSpace, grey.Sampling));
    }

    [Fact]
    public void RGB_files_are_recognised_by_their_Adobe_marker_or_component_ids()
    {
        byte[] adobe = LibjpegTools.Cjpeg(Image, "-rgb");
        JpegHeader header = ExactJpegDecoder.ReadHeader(adobe);
        Assert.Equal((JpegColorSpace.Rgb, 0), (header.ColorSpace, header.Metadata.AdobeTransform));

        // Without the Adobe segment, libjpeg goes by the component ids, which cjpeg -rgb sets to 'R', 'G', 'B'.
        JpegSamples.Segment app14 = JpegSamples.First(adobe, 0xEE);
        byte[] byIds = JpegSamples.Remove(adobe, app14.Offset, app14.Length);
        Assert.Equal((JpegColorSpace.Rgb, (int?)null), (ExactJpegDecoder.ReadHeader(byIds).ColorSpace, ExactJpegDecoder.ReadHeader(byIds).Metadata.AdobeTransform));

        // A JFIF segment means YCbCr whatever else the file says (libjpeg's rule).
        byte[] jfif = JpegSamples.WithSegmentAfterSoi(byIds, 0xE0, "JFIF\0\u0001\u0002\0\0\u0001\0\u0001\0\0"u8);
        Assert.Equal(JpegColorSpace.YCbCr, ExactJpegDecoder.ReadHeader(jfif).ColorSpace);
    }

    [Fact]
    public void JFIF_density_is_read()
    {
        byte[] jpeg = JpegSamples.ImageSharpJpeg(Image, JpegColorType.YCbCrRatio444);
        JpegSamples.Segment app0 = JpegSamples.First(jpeg, 0xE0);
        jpeg = JpegSamples.Remove(jpeg, app0.Offset, app0.Length);
        byte[] payload = [.. "JFIF\0"u8, 1, 2, 1, 0x01, 0x2C, 0x00, 0x96, 0, 0];
        JpegHeader header = ExactJpegDecoder.ReadHeader(JpegSamples.WithSegmentAfterSoi(jpeg, 0xE0, payload));
        Assert.Equal(new JfifDensity(1, 300, 150), header.Metadata.Density);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EXIF_orientation_is_read_in_either_byte_order(bool littleEndian)
    {
        byte[] jpeg = JpegSamples.ImageSharpJpeg(Image, JpegColorType.YCbCrRatio444);
        for (int orientation = 1; orientation <= 8; orientation++)
        {
            byte[] tiff = Tiff(littleEndian, (0x010F, 2, 4, 0x41414141), (0x0112, 3, 1, (uint)orientation), (0x011A, 5, 1, 26));
            JpegHeader header = ExactJpegDecoder.ReadHeader(JpegSamples.WithSegmentAfterSoi(jpeg, 0xE1, [.. "Exif\0\0"u8, .. tiff]));
            Assert.Equal(orientation, header.Metadata.ExifOrientation);
            Assert.Equal(tiff, header.Metadata.Exif);
        }
        byte[] outOfRange = Tiff(littleEndian, (0x0112, 3, 1, 9));
        Assert.Null(ExactJpegDecoder.ReadHeader(JpegSamples.WithSegmentAfterSoi(jpeg, 0xE1, [.. "Exif\0\0"u8, .. outOfRange])).Metadata.ExifOrientation);
    }

    [Fact]
    public void EXIF_written_by_ImageSharp_is_read_and_a_broken_one_is_ignored()
    {
        using Image<Rgba32> image = Fixtures.ToImage(Image);
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream);
        JpegHeader header = ExactJpegDecoder.ReadHeader(stream.ToArray());
        Assert.Equal(6, header.Metadata.ExifOrientation);

        byte[] jpeg = JpegSamples.ImageSharpJpeg(Image, JpegColorType.YCbCrRatio444);
        foreach (byte[] broken in new[] { "MM\0*\0\0\0\u00FF"u8.ToArray(), "II*\0\u0008\0\0\0\u0009\0"u8.ToArray(), "XX"u8.ToArray(), Array.Empty<byte>() })
        {
            JpegHeader h = ExactJpegDecoder.ReadHeader(JpegSamples.WithSegmentAfterSoi(jpeg, 0xE1, [.. "Exif\0\0"u8, .. broken]));
            Assert.Null(h.Metadata.ExifOrientation);
        }
    }

    [Fact]
    public void The_ICC_profile_is_reassembled_in_sequence_order()
    {
        byte[] jpeg = JpegSamples.ImageSharpJpeg(Image, JpegColorType.YCbCrRatio444);
        byte[] profile = new byte[1000];
        new Random(3).NextBytes(profile);
        byte[] Chunk(int sequence, int count, Range part) => [.. "ICC_PROFILE\0"u8, (byte)sequence, (byte)count, .. profile[part]];

        // Stored out of order, with another segment between them.
        byte[] withIcc = JpegSamples.WithSegmentAfterSoi(jpeg, 0xE2, Chunk(2, 3, 300..700));
        withIcc = JpegSamples.WithSegmentAfterSoi(withIcc, 0xFE, "comment"u8);
        withIcc = JpegSamples.WithSegmentAfterSoi(withIcc, 0xE2, Chunk(3, 3, 700..));
        withIcc = JpegSamples.WithSegmentAfterSoi(withIcc, 0xE2, Chunk(1, 3, ..300));
        Assert.Equal(profile, ExactJpegDecoder.ReadHeader(withIcc).Metadata.IccProfile);

        byte[] missing = JpegSamples.WithSegmentAfterSoi(jpeg, 0xE2, Chunk(1, 3, ..300));
        missing = JpegSamples.WithSegmentAfterSoi(missing, 0xE2, Chunk(3, 3, 700..));
        Assert.Null(ExactJpegDecoder.ReadHeader(missing).Metadata.IccProfile);

        byte[] twice = JpegSamples.WithSegmentAfterSoi(jpeg, 0xE2, Chunk(1, 1, ..));
        twice = JpegSamples.WithSegmentAfterSoi(twice, 0xE2, Chunk(1, 1, ..));
        Assert.Null(ExactJpegDecoder.ReadHeader(twice).Metadata.IccProfile);

        Assert.Null(ExactJpegDecoder.ReadHeader(jpeg).Metadata.IccProfile);
    }

    /// <summary>A TIFF header and IFD0 with the given entries (tag, type, count, value in the value field).</summary>
    private static byte[] Tiff(bool little, params (ushort Tag, ushort Type, uint Count, uint Value)[] entries)
    {
        var tiff = new byte[8 + 2 + 12 * entries.Length + 4];
        tiff[0] = tiff[1] = (byte)(little ? 'I' : 'M');
        Write16(tiff.AsSpan(2), 42);
        Write32(tiff.AsSpan(4), 8);
        Write16(tiff.AsSpan(8), (ushort)entries.Length);
        for (int i = 0; i < entries.Length; i++)
        {
            Span<byte> entry = tiff.AsSpan(10 + 12 * i, 12);
            Write16(entry, entries[i].Tag);
            Write16(entry[2..], entries[i].Type);
            Write32(entry[4..], entries[i].Count);
            if (entries[i].Type == 3) Write16(entry[8..], (ushort)entries[i].Value);
            else Write32(entry[8..], entries[i].Value);
        }
        return tiff;

        void Write16(Span<byte> at, ushort value)
        {
            if (little) BinaryPrimitives.WriteUInt16LittleEndian(at, value);
            else BinaryPrimitives.WriteUInt16BigEndian(at, value);
        }

        void Write32(Span<byte> at, uint value)
        {
            if (little) BinaryPrimitives.WriteUInt32LittleEndian(at, value);
            else BinaryPrimitives.WriteUInt32BigEndian(at, value);
        }
    }
}
