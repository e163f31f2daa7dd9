using System.Buffers.Binary;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Integrity;

namespace KMeansPS.Imaging.Tests.Bmp;

/// <summary>
/// Bit-field BMPs whose masks ImageSharp 2.1 misreads (16-bit channels other than 5 or 6 bits, or with alpha; 32-bit
/// channels under 8 bits) are refused, saying which masks, instead of being decoded to wrong colours (4444: 48 for
/// 204). The layouts it reads right stay read, with the colours the masks give.
/// </summary>
public class BitFieldMaskTests
{
    /// <summary>A 2 x 2 bottom-up bit-field BMP, a 40-byte header and the masks after it (four with alpha: ALPHABITFIELDS).</summary>
    private static byte[] BitFields(int bits, uint red, uint green, uint blue, uint? alpha, uint pixel)
    {
        int masks = alpha is null ? 12 : 16, rowBytes = (2 * bits / 8 + 3) & ~3, offset = 14 + 40 + masks;
        var file = new byte[offset + 2 * rowBytes];
        "BM"u8.CopyTo(file);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(2), file.Length);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(10), offset);
        Span<byte> info = file.AsSpan(14, 40);
        BinaryPrimitives.WriteInt32LittleEndian(info, 40);
        BinaryPrimitives.WriteInt32LittleEndian(info[4..], 2);
        BinaryPrimitives.WriteInt32LittleEndian(info[8..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(info[12..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(info[14..], (short)bits);
        BinaryPrimitives.WriteInt32LittleEndian(info[16..], alpha is null ? 3 : 6);
        uint[] all = alpha is null ? [red, green, blue] : [red, green, blue, alpha.Value];
        for (int i = 0; i < all.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(54 + 4 * i), all[i]);
        for (int row = 0; row < 2; row++)
            for (int x = 0; x < 2; x++)
            {
                int at = offset + row * rowBytes + x * bits / 8;
                if (bits == 16) BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(at), (ushort)pixel);
                else BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(at), pixel);
            }
        return file;
    }

    [Theory]
    [InlineData(16, 0x0F00u, 0x00F0u, 0x000Fu, null, "4, 4 and 4 bits")]        // X4R4G4B4
    [InlineData(16, 0x0F00u, 0x00F0u, 0x000Fu, 0xF000u, "4, 4 and 4 bits, alpha 4")]
    [InlineData(16, 0x7C00u, 0x03E0u, 0x001Fu, 0x8000u, "5, 5 and 5 bits, alpha 1")] // A1R5G5B5: the alpha was lost
    [InlineData(16, 0x00E0u, 0x001Cu, 0x0003u, null, "3, 3 and 2 bits")]
    [InlineData(32, 0x7C00u, 0x03E0u, 0x001Fu, null, "5, 5 and 5 bits")]
    [InlineData(32, 0x00FF0000u, 0x0000FF00u, 0x000000FFu, 0x01000000u, "8, 8 and 8 bits, alpha 1")] // a set bit gave alpha 1
    [InlineData(32, 0x00FF0000u, 0x0000FF00u, 0x000000FFu, 0x0F000000u, "8, 8 and 8 bits, alpha 4")]
    public void Masks_the_decoder_library_misreads_are_refused_naming_them(int bits, uint red, uint green, uint blue, uint? alpha, string named)
    {
        IntegrityReport report = FileIntegrity.Check(BitFields(bits, red, green, blue, alpha, 0xC5A3));
        Assert.Equal(IntegrityVerdict.Unsupported, report.Verdict);
        Assert.Contains($"red, green and blue {named}", report.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(16, 0xF800u, 0x07E0u, 0x001Fu, 0xFFFFu, 255, 255, 255)]      // 565, all ones
    [InlineData(16, 0x7C00u, 0x03E0u, 0x001Fu, 0x7C00u, 255, 0, 0)]          // 555, red
    [InlineData(32, 0x00FF0000u, 0x0000FF00u, 0x000000FFu, 0x00C0FFEEu, 0xC0, 0xFF, 0xEE)]
    public void Masks_the_decoder_library_reads_stay_read(int bits, uint red, uint green, uint blue, uint pixel, int r, int g, int b)
    {
        byte[] file = BitFields(bits, red, green, blue, null, pixel);
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(file).Verdict);
        RgbaImage image = ImageDecoder.Decode(file, 1 << 20, "x.bmp", TestContext.Current.CancellationToken);
        Assert.All(image.Pixels, p => Assert.Equal((r, g, b), (p.R, p.G, p.B)));
    }
}
