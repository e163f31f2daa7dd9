using System.Buffers.Binary;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Decoding;

/// <summary>
/// JPEG-compressed TIFFs give libtiff's pixels (tiff2rgba, PIL and ImageMagick agree): each strip, after the shared
/// JPEGTables, decoded as a JPEG by libjpeg, so here djpeg -dct int of the same JPEG data is the reference. The files
/// are built by hand from cjpeg's output: one JPEG a strip, tables shared or in each strip, the YCbCrSubSampling,
/// ReferenceBlackWhite and YCbCrCoefficients tags stated (which libtiff leaves aside for JPEG data and ImageSharp 2.1
/// applied: a stated 2 x 2 subsampling gave a wholly wrong picture, and its repeated chroma was up to 94 levels off).
/// </summary>
public sealed class TiffJpegDecodeTests
{
    private const ushort Byte = 1, Short = 3, Long = 4, Rational = 5, Undefined = 7;

    public static TheoryData<string, int, bool, bool> Layouts() => new()
    {
        // cjpeg options, rows per strip, shared tables, stated YCbCr tags
        { "-sample 2x2", 64, false, false },
        { "-sample 2x2", 16, true, true },
        { "-sample 2x1", 24, true, true },
        { "-sample 1x1", 8, false, true },
        { "-sample 2x2 -progressive", 16, false, true }, // optimised tables differ from band to band: each strip keeps its own
        { "-sample 2x2 -restart 1", 40, true, true },
        { "-rgb", 16, true, false },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void EveryStripIsDjpegsPictureOfItsJpeg(string options, int rowsPerStrip, bool sharedTables, bool statedTags)
    {
        const int width = 45, height = 61; // neither a whole number of MCUs
        RgbaImage image = JpegSamples.Photo(width, height, seed: rowsPerStrip);
        bool rgb = options.Contains("-rgb", StringComparison.Ordinal);
        (byte[] file, Rgba32[] expected) = Build(image, options, rowsPerStrip, sharedTables, photometric: rgb ? 2 : 6, statedTags);
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(file).Verdict);
        RgbaImage decoded = ImageDecoder.Decode(new MemoryStream(file), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal((width, height), (decoded.Width, decoded.Height));
        Assert.True(expected.AsSpan().SequenceEqual(decoded.Pixels.AsSpan(0, width * height)), JpegSamples.FirstDifference(expected, decoded.Pixels, width));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void GreyStripsAreDjpegsGreyMinIsWhiteInverted(int photometric)
    {
        const int width = 30, height = 20;
        RgbaImage image = JpegSamples.Photo(width, height, seed: 5);
        (byte[] file, Rgba32[] expected) = Build(image, "-grayscale", 8, sharedTables: true, photometric, statedTags: false, grey: true);
        if (photometric == 0)
            for (int i = 0; i < expected.Length; i++) expected[i] = new Rgba32((byte)(255 - expected[i].R), (byte)(255 - expected[i].G), (byte)(255 - expected[i].B), 255);
        RgbaImage decoded = ImageDecoder.Decode(new MemoryStream(file), cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(expected.AsSpan().SequenceEqual(decoded.Pixels.AsSpan(0, width * height)), JpegSamples.FirstDifference(expected, decoded.Pixels, width));
    }

    /// <summary>A last strip coded at the full strip height (some writers do): libtiff takes its first rows.</summary>
    [Fact]
    public void ALastStripCodedAtTheFullStripHeightGivesItsFirstRows()
    {
        const int width = 33, height = 40, perStrip = 16; // strips of 16, 16 and 8 rows; the last coded as 16
        RgbaImage image = JpegSamples.Photo(width, 48, seed: 9);
        var strips = new List<byte[]>();
        var expected = new List<Rgba32>();
        for (int top = 0; top < height; top += perStrip)
        {
            byte[] jpeg = LibjpegTools.Cjpeg(Band(image, top, perStrip), "-sample 2x2");
            strips.Add(jpeg);
            Rgba32[] band = LibjpegTools.Djpeg(jpeg, out _, out _);
            expected.AddRange(band.Take(width * Math.Min(perStrip, height - top)));
        }
        byte[] file = Tiff(width, height, perStrip, 6, 3, strips, tables: null, statedTags: true);
        RgbaImage decoded = ImageDecoder.Decode(new MemoryStream(file), cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(expected.ToArray().AsSpan().SequenceEqual(decoded.Pixels.AsSpan(0, width * height)));
    }

    /// <summary>
    /// Strips whose coefficients put samples far outside 0..255 (quantization tables scaled up; damage does the same):
    /// the samples saturate as in libjpeg-turbo's x86 code, which libtiff calls (libjpeg's C code, which the decoder
    /// followed before, gave blocks up to 255 levels from libtiff's picture).
    /// </summary>
    [Fact]
    public void StripsWhoseSamplesLeaveTheRangeAreDjpegsPictures()
    {
        const int width = 40, height = 32, perStrip = 16;
        var pixels = new Rgba32[width * height];
        for (int i = 0; i < pixels.Length; i++)
        {
            byte v = (byte)((i % width / 4 + i / width / 4) % 2 == 0 ? 0 : 255);
            pixels[i] = new Rgba32(v, (byte)(255 - v), (byte)(i * 5), 255);
        }
        var image = new RgbaImage(width, height, pixels);
        var strips = new List<byte[]>();
        var expected = new List<Rgba32>();
        bool partsFromCCode = false;
        for (int top = 0; top < height; top += perStrip)
        {
            byte[] jpeg = JpegSamples.WithQuantizationScaled(LibjpegTools.Cjpeg(Band(image, top, perStrip), "-sample 2x2 -quality 100"), 6);
            Rgba32[] band = LibjpegTools.Djpeg(jpeg, out _, out _);
            partsFromCCode |= !band.AsSpan().SequenceEqual(LibjpegTools.Djpeg(jpeg, out _, out _, cCode: true));
            expected.AddRange(band);
            strips.Add(jpeg);
        }
        Assert.True(partsFromCCode, "no strip reaches the samples where libjpeg-turbo's x86 and C code part");
        byte[] file = Tiff(width, height, perStrip, 6, 3, strips, tables: null, statedTags: false);
        RgbaImage decoded = ImageDecoder.Decode(new MemoryStream(file), cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(expected.ToArray().AsSpan().SequenceEqual(decoded.Pixels.AsSpan(0, width * height)), JpegSamples.FirstDifference([.. expected], decoded.Pixels, width));
    }

    /// <summary>A strip whose JPEG does not fit it (libtiff refuses a larger one and cannot fill the rows from a smaller one), or of the wrong number of components.</summary>
    [Theory]
    [InlineData(32, 16, 6, false, "is 32 x 16 pixels where the strip is 33 x 16")]
    [InlineData(33, 8, 6, false, "is 33 x 8 pixels where the strip is 33 x 16")]
    [InlineData(33, 16, 1, false, "three components where the TIFF gives one")]
    [InlineData(33, 16, 6, true, "one component where the TIFF gives three")]
    public void AStripWhoseJpegDoesNotFitIsRefused(int jpegWidth, int jpegHeight, int photometric, bool greyJpeg, string words)
    {
        const int width = 33, height = 32, perStrip = 16;
        RgbaImage image = JpegSamples.Photo(40, 40, seed: 3);
        byte[] good = LibjpegTools.Cjpeg(Band(Crop(image, width), 0, perStrip), "-sample 2x2", grey: greyJpeg);
        byte[] odd = LibjpegTools.Cjpeg(Band(Crop(image, jpegWidth), 16, jpegHeight), "-sample 2x2", grey: greyJpeg);
        byte[] file = Tiff(width, height, perStrip, photometric, photometric == 1 ? 1 : 3, [good, odd], tables: null, statedTags: false);
        var ex = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(new MemoryStream(file), cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains(photometric == 1 || greyJpeg ? "TIFF strip 1" : "TIFF strip 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains(words, ex.Message, StringComparison.Ordinal);
    }

    /// <summary>JPEG-compressed YCbCr in a layout only ImageSharp would read (a BigTIFF here) is refused, not misread.</summary>
    [Fact]
    public void JpegYCbCrInABigTiffIsRefused()
    {
        RgbaImage image = JpegSamples.Photo(16, 16, seed: 2);
        byte[] classic = Tiff(16, 16, 16, 6, 3, [LibjpegTools.Cjpeg(image, "-sample 2x2")], tables: null, statedTags: true);
        IntegrityReport report = FileIntegrity.Check(BigTiffOf(classic));
        Assert.True(report.Verdict == IntegrityVerdict.Unsupported, $"{report.Verdict}: {report.Reason}");
        Assert.Contains("JPEG-compressed data in a BigTIFF", report.Reason, StringComparison.Ordinal);
    }

    /// <summary>
    /// A JPEG page our decoder does not take (samples of other than 8 bits, no PhotometricInterpretation) is refused:
    /// ImageSharp read such pages into other colours (libtiff refuses 9-bit samples and, for YCbCr, the missing tag).
    /// </summary>
    [Theory]
    [InlineData(258, "of 3 samples of 9 bits")]
    [InlineData(262, "without a PhotometricInterpretation")]
    public void AJpegPageOurDecoderDoesNotTakeIsRefused(ushort tag, string words)
    {
        RgbaImage image = JpegSamples.Photo(16, 16, seed: 4);
        byte[] file = Tiff(16, 16, 16, 6, 3, [LibjpegTools.Cjpeg(image, "-sample 2x2")], tables: null, statedTags: false);
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(file).Verdict);
        int ifd = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4));
        int count = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(ifd));
        for (int i = 0; i < count; i++)
        {
            int entry = ifd + 2 + 12 * i;
            if (BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(entry)) != tag) continue;
            if (tag == 262) BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(entry), 65000); // the entry no longer names Photometric
            else for (int c = 0; c < 3; c++) BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan((int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(entry + 8)) + 2 * c), 9);
        }
        IntegrityReport report = FileIntegrity.Check(file);
        Assert.True(report.Verdict == IntegrityVerdict.Unsupported, $"{report.Verdict}: {report.Reason}");
        Assert.Contains(words, report.Reason, StringComparison.Ordinal);
    }

    private static (byte[] File, Rgba32[] Expected) Build(RgbaImage image, string options, int rowsPerStrip, bool sharedTables, int photometric, bool statedTags, bool grey = false)
    {
        var strips = new List<byte[]>();
        var expected = new List<Rgba32>();
        for (int top = 0; top < image.Height; top += rowsPerStrip)
        {
            byte[] jpeg = LibjpegTools.Cjpeg(Band(image, top, Math.Min(rowsPerStrip, image.Height - top)), options, grey);
            expected.AddRange(LibjpegTools.Djpeg(jpeg, out _, out _));
            strips.Add(jpeg);
        }
        byte[]? tables = null;
        if (sharedTables)
        {
            // The tables (DQT, DHT) of the first strip once, as a tables-only JPEG; every strip without its own. cjpeg
            // without -optimize writes the same tables for every band.
            List<JpegSamples.Segment> first = JpegSamples.HeaderSegments(strips[0]);
            tables = [0xFF, 0xD8, .. first.Where(s => s.Marker is 0xDB or 0xC4).SelectMany(s => strips[0].AsSpan(s.Offset, s.Length).ToArray()), 0xFF, 0xD9];
            for (int i = 0; i < strips.Count; i++)
            {
                byte[] strip = strips[i];
                foreach (JpegSamples.Segment s in JpegSamples.HeaderSegments(strip).Where(s => s.Marker is 0xDB or 0xC4).OrderByDescending(s => s.Offset))
                    strip = JpegSamples.Remove(strip, s.Offset, s.Length);
                strips[i] = strip;
            }
        }
        return (Tiff(image.Width, image.Height, rowsPerStrip, photometric, grey ? 1 : 3, strips, tables, statedTags), [.. expected]);
    }

    private static RgbaImage Band(RgbaImage image, int top, int rows) =>
        new(image.Width, rows, image.Pixels.AsSpan(top * image.Width, rows * image.Width).ToArray());

    private static RgbaImage Crop(RgbaImage image, int width)
    {
        var pixels = new Rgba32[width * image.Height];
        for (int y = 0; y < image.Height; y++) image.Pixels.AsSpan(y * image.Width, width).CopyTo(pixels.AsSpan(y * width));
        return new RgbaImage(width, image.Height, pixels);
    }

    /// <summary>A little-endian TIFF of JPEG strips (compression 7), with the YCbCr tags libtiff leaves aside when <paramref name="statedTags"/>.</summary>
    private static byte[] Tiff(int width, int height, int rowsPerStrip, int photometric, int samples, List<byte[]> strips, byte[]? tables, bool statedTags)
    {
        var data = new MemoryStream();
        data.Write(new byte[16]); // room for a BigTIFF header too
        var stripOffsets = new List<uint>();
        foreach (byte[] strip in strips)
        {
            stripOffsets.Add((uint)data.Position);
            data.Write(strip);
            if ((data.Position & 1) != 0) data.WriteByte(0);
        }
        var entries = new SortedDictionary<ushort, (ushort Type, byte[] Values)>
        {
            [256] = (Long, U32s((uint)width)),
            [257] = (Long, U32s((uint)height)),
            [258] = (Short, U16s([.. Enumerable.Repeat((ushort)8, samples)])),
            [259] = (Short, U16s(7)),
            [262] = (Short, U16s((ushort)photometric)),
            [273] = (Long, U32s([.. stripOffsets])),
            [277] = (Short, U16s((ushort)samples)),
            [278] = (Long, U32s((uint)rowsPerStrip)),
            [279] = (Long, U32s([.. strips.Select(s => (uint)s.Length)])),
            [284] = (Short, U16s(1)),
        };
        if (tables is not null) entries[347] = (Undefined, tables);
        if (statedTags && photometric == 6)
        {
            entries[529] = (Rational, U32s(2126, 10000, 7152, 10000, 722, 10000)); // BT.709 coefficients
            entries[530] = (Short, U16s(2, 2));
            entries[532] = (Rational, U32s(16, 1, 235, 1, 128, 1, 240, 1, 128, 1, 240, 1));
        }
        long directory = data.Position;
        var values = new MemoryStream();
        long valuesAt = directory + 2 + 12 * entries.Count + 4;
        var ifd = new MemoryStream();
        ifd.Write(U16s((ushort)entries.Count));
        foreach ((ushort tag, (ushort type, byte[] bytes)) in entries)
        {
            int size = type switch { Byte or Undefined => 1, Short => 2, Long => 4, _ => 8 };
            ifd.Write(U16s(tag, type));
            ifd.Write(U32s((uint)(bytes.Length / size)));
            if (bytes.Length <= 4)
            {
                ifd.Write(bytes);
                ifd.Write(new byte[4 - bytes.Length]);
            }
            else
            {
                ifd.Write(U32s((uint)(valuesAt + values.Position)));
                values.Write(bytes);
                if ((values.Position & 1) != 0) values.WriteByte(0);
            }
        }
        ifd.Write(new byte[4]);
        data.Write(ifd.ToArray());
        data.Write(values.ToArray());
        byte[] file = data.ToArray();
        "II*\0"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)directory);
        return file;
    }

    /// <summary>The same directory as a BigTIFF (20-byte entries, 8-byte offsets), data kept where it was.</summary>
    private static byte[] BigTiffOf(byte[] classic)
    {
        int ifd = (int)BinaryPrimitives.ReadUInt32LittleEndian(classic.AsSpan(4));
        int count = BinaryPrimitives.ReadUInt16LittleEndian(classic.AsSpan(ifd));
        var big = new MemoryStream();
        big.Write(classic); // offsets into the old file stay true
        while ((big.Position & 7) != 0) big.WriteByte(0);
        long directory = big.Position;
        big.Write(BitConverter.GetBytes((ulong)count));
        for (int i = 0; i < count; i++)
        {
            int e = ifd + 2 + 12 * i;
            ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(classic.AsSpan(e)), type = BinaryPrimitives.ReadUInt16LittleEndian(classic.AsSpan(e + 2));
            uint n = BinaryPrimitives.ReadUInt32LittleEndian(classic.AsSpan(e + 4));
            int size = type switch { Byte or Undefined => 1, Short => 2, Long => 4, _ => 8 };
            big.Write(U16s(tag, type));
            big.Write(BitConverter.GetBytes((ulong)n));
            var field = new byte[8];
            if (n * size <= 4) classic.AsSpan(e + 8, 4).CopyTo(field);
            else BitConverter.GetBytes((ulong)BinaryPrimitives.ReadUInt32LittleEndian(classic.AsSpan(e + 8))).CopyTo(field, 0);
            big.Write(field);
        }
        big.Write(new byte[8]);
        byte[] file = big.ToArray();
        "II+\0"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(6), 0);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(8), (ulong)directory);
        return file;
    }

    private static byte[] U16s(params ushort[] values)
    {
        var bytes = new byte[2 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), values[i]);
        return bytes;
    }

    private static byte[] U32s(params uint[] values)
    {
        var bytes = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }
}
