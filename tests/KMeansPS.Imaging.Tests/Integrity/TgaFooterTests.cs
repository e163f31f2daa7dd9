using System.Buffers.Binary;
using KMeansPS.Imaging.Integrity;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// A TGA 2.0 file ends with a footer that points at its extension (and developer) area, which follow the pixels. A
/// file cut inside its pixels with the area and footer put back had their bytes read as pixels; with a footer, the
/// pixels must end before the areas it points at.
/// </summary>
public sealed class TgaFooterTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PixelsCutShortBeforeTheExtensionAreaAreDamaged(bool runLength)
    {
        const int width = 12, height = 7;
        byte[] pixels = new byte[width * height * 3];
        new Random(runLength ? 2 : 1).NextBytes(pixels);
        byte[] data = runLength ? Literals(pixels) : pixels;
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(WithFooter(width, height, runLength, data)).Verdict);
        foreach (int cut in new[] { 1, 7, 40 })
        {
            IntegrityReport report = FileIntegrity.Check(WithFooter(width, height, runLength, data[..^cut]));
            Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{cut} bytes cut: {report.Verdict}: {report.Reason}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_extension_offset_that_points_at_no_extension_area_bounds_nothing(bool runLength)
    {
        // The footer's offset points into the pixels (PIL and ImageMagick read them whole): every pixel byte is there.
        const int width = 20, height = 10;
        byte[] pixels = new byte[width * height * 3];
        new Random(runLength ? 4 : 3).NextBytes(pixels);
        byte[] data = runLength ? Literals(pixels) : pixels;
        byte[] file = WithFooter(width, height, runLength, data);
        byte[] pointing = [.. file[..(18 + data.Length)], .. file[^26..]];
        BinaryPrimitives.WriteUInt32LittleEndian(pointing.AsSpan(pointing.Length - 26), 30);
        IntegrityReport report = FileIntegrity.Check(pointing);
        Assert.True(report.Verdict == IntegrityVerdict.Intact, $"{report.Verdict}: {report.Reason}");
        // The developer area's offset the same: a directory of 3 tags there would run past the footer or name data
        // outside the file, so it is no directory.
        byte[] developer = [.. pointing];
        BinaryPrimitives.WriteUInt32LittleEndian(developer.AsSpan(developer.Length - 26), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(developer.AsSpan(developer.Length - 22), 30);
        developer[30] = 3;
        developer[31] = 0;
        developer.AsSpan(36, 8).Fill(0xFF); // the first tag's data: offset and size beyond the file
        report = FileIntegrity.Check(developer);
        Assert.True(report.Verdict == IntegrityVerdict.Intact, $"developer offset: {report.Verdict}: {report.Reason}");
        // Cut inside the pixels, it is still damaged.
        byte[] cut = [.. file[..(18 + data.Length - 7)], .. file[^26..]];
        BinaryPrimitives.WriteUInt32LittleEndian(cut.AsSpan(cut.Length - 26), 30);
        Assert.Equal(IntegrityVerdict.Damaged, FileIntegrity.Check(cut).Verdict);
    }

    /// <summary>Literal packets of up to 128 pixels of 3 bytes.</summary>
    private static byte[] Literals(byte[] pixels)
    {
        var output = new List<byte>();
        for (int i = 0; i < pixels.Length; i += 3 * 128)
        {
            int n = Math.Min(128, (pixels.Length - i) / 3);
            output.Add((byte)(n - 1));
            output.AddRange(pixels.AsSpan(i, 3 * n).ToArray());
        }
        return [.. output];
    }

    /// <summary>Header, pixel data, a 495-byte extension area, and the footer pointing at it.</summary>
    private static byte[] WithFooter(int width, int height, bool runLength, byte[] data)
    {
        byte[] header = new byte[18];
        header[2] = (byte)(runLength ? 10 : 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(12), (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(14), (ushort)height);
        header[16] = 24;
        byte[] extension = new byte[495];
        BinaryPrimitives.WriteUInt16LittleEndian(extension, 495);
        extension.AsSpan(2).Fill(0x41); // text fields: bytes that would make plausible pixels
        byte[] footer = new byte[26];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, (uint)(header.Length + data.Length));
        "TRUEVISION-XFILE.\0"u8.CopyTo(footer.AsSpan(8));
        return [.. header, .. data, .. extension, .. footer];
    }
}
