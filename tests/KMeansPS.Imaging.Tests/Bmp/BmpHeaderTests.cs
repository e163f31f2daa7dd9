using System.Buffers.Binary;
using KMeansPS.Imaging.Bmp;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Bmp;

/// <summary>
/// The one reader of a BMP's headers, which the scanner and both copies ImageSharp is handed share: each layout's
/// fields where it keeps them, an OS/2 bitmap array's first bitmap, and no header when the file ends inside it or its
/// size is no layout.
/// </summary>
public sealed class BmpHeaderTests
{
    private static readonly Rgba32[] TwoColours = [new Rgba32(0, 0, 0), new Rgba32(255, 255, 255)];

    [Fact]
    public void AnOs2HeaderGivesItsSixteenBitFields()
    {
        byte[] file = BmpWriter.Os2(9, 5, 8, TwoColours, new byte[45]);
        BmpHeader bmp = BmpHeader.Read(file, 0)!.Value;
        Assert.Equal(new BmpHeader(0, 14 + 12 + 6, 12, 9, 5, 8, 1, 0, 0), bmp);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(40)]
    [InlineData(56)]
    [InlineData(124)]
    public void LongerHeadersGiveTheirThirtyTwoBitFieldsAndCompressionFromFortyBytesOn(int size)
    {
        byte[] file = Header(size, width: 300, height: -20, bits: 4, compression: 2, colorsUsed: 7);
        BmpHeader bmp = BmpHeader.Read(file, 0)!.Value;
        Assert.Equal(new BmpHeader(0, 14u + (uint)size, size, 300, -20, 4, 1, size >= 40 ? 2 : 0, size >= 40 ? 7 : 0), bmp);
    }

    [Fact]
    public void AnOs2ArrayStartsItsFirstBitmapAfterItsOwnHeader()
    {
        byte[] bitmap = Header(40, width: 3, height: 2, bits: 24, compression: 0, colorsUsed: 0);
        byte[] array = [(byte)'B', (byte)'A', .. new byte[12], .. bitmap];
        BinaryPrimitives.WriteUInt32LittleEndian(array.AsSpan(24), 0x8000_0000); // read unsigned: the scanner decides what it means
        Assert.Equal(14, BmpHeader.StartOf(array));
        Assert.Equal(0, BmpHeader.StartOf(bitmap));
        BmpHeader bmp = BmpHeader.Read(array, 14)!.Value;
        Assert.Equal((28, 0x8000_0000u, 3L, 2L, 24), (bmp.InfoAt, bmp.PixelOffset, bmp.Width, bmp.Height, bmp.BitsPerPixel));
    }

    [Fact]
    public void AFileEndingInsideItsHeaderOrASizeThatIsNoLayoutGivesNone()
    {
        byte[] file = Header(108, width: 3, height: 2, bits: 24, compression: 0, colorsUsed: 0);
        for (int cut = 0; cut < 14 + 108; cut++) Assert.Null(BmpHeader.Read(file.AsSpan(0, cut), 0));
        Assert.NotNull(BmpHeader.Read(file.AsSpan(0, 14 + 108), 0));
        foreach (int size in new[] { 0, 11, 13, 15, -1, int.MinValue, 1000 })
        {
            byte[] odd = file.ToArray();
            BinaryPrimitives.WriteInt32LittleEndian(odd.AsSpan(14), size);
            Assert.Null(BmpHeader.Read(odd, 0));
        }
    }

    /// <summary>A file header and an info header of <paramref name="size"/> bytes (the pixels just after it), nothing more.</summary>
    private static byte[] Header(int size, int width, int height, int bits, int compression, int colorsUsed)
    {
        byte[] file = new byte[14 + Math.Max(size, 40)];
        "BM"u8.CopyTo(file);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(10), 14 + size);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(14), size);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(28), (short)bits);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(30), compression);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(46), colorsUsed);
        return file;
    }
}
