using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Tests.Corpus;
using KMeansPS.Imaging.Tiff;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Tiff;

/// <summary>
/// A palette TIFF whose ColorMap holds no value above 255 is read as libtiff reads it (tif_getimage.c's checkcmap,
/// "Assuming 8-bit colormap"), each entry's values the 8-bit levels themselves, with a warning; ImageSharp 2.1 took
/// them for 16-bit values, a nearly black picture. One value of 256 makes it a 16-bit map again, in libtiff too.
/// </summary>
public sealed class EightBitColourMapTests
{
    private const int Width = 37, Height = 21, RowsPerStrip = 8;

    public static TheoryData<int, bool> Layouts() => new()
    {
        { 1, false }, { 2, false }, { 4, false }, { 8, false },
        { 1, true }, { 2, true }, { 4, true }, { 8, true },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void AMapOfEightBitValuesGivesThoseLevelsWithAWarning(int bits, bool bigEndian)
    {
        var random = new Random(bits * 2 + (bigEndian ? 1 : 0));
        int[] indices = Indices(bits, random);
        uint[] map = [.. Enumerable.Range(0, 3 << bits).Select(_ => (uint)random.Next(256))];
        map[random.Next(map.Length)] = 255; // the largest value that keeps the map 8-bit
        RgbaImage image = Decode(Palette(bits, bigEndian, indices, map));
        int entries = 1 << bits;
        Rgba32[] expected = [.. indices.Select(i => new Rgba32((byte)map[i], (byte)map[entries + i], (byte)map[2 * entries + i]))];
        Assert.Equal(expected, image.Pixels[..(Width * Height)]);
        Assert.Equal(EightBitColourMap.Warning, image.DecodeWarning);
    }

    /// <summary>A value of 256 in the blue channel's last entry: every channel is read at 16 bits, as libtiff reads it.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public void OneValueAbove255MakesItASixteenBitMap(int bits)
    {
        var random = new Random(100 + bits);
        int[] indices = Indices(bits, random);
        // Below 128 a 16-bit value is level 0 however it is scaled (libtiff takes the high byte, ImageSharp rounds).
        uint[] map = [.. Enumerable.Range(0, 3 << bits).Select(_ => (uint)random.Next(128))];
        map[^1] = 256;
        RgbaImage image = Decode(Palette(bits, false, indices, map));
        int last = (1 << bits) - 1;
        Rgba32[] expected = [.. indices.Select(i => new Rgba32(0, 0, (byte)(i == last ? 1 : 0)))];
        Assert.Equal(expected, image.Pixels[..(Width * Height)]);
        Assert.Null(image.DecodeWarning);
    }

    private static RgbaImage Decode(byte[] file) =>
        ImageDecoder.Decode(new MemoryStream(file), name: "palette.tif", cancellationToken: TestContext.Current.CancellationToken);

    private static int[] Indices(int bits, Random random) => [.. Enumerable.Range(0, Width * Height).Select(_ => random.Next(1 << bits))];

    /// <summary>An uncompressed palette TIFF: indices packed most significant bit first, each row to a whole byte.</summary>
    private static byte[] Palette(int bits, bool bigEndian, int[] indices, uint[] map)
    {
        int stride = (Width * bits + 7) / 8;
        var strips = new List<byte[]>();
        for (int top = 0; top < Height; top += RowsPerStrip)
        {
            int rows = Math.Min(RowsPerStrip, Height - top);
            var strip = new byte[rows * stride];
            for (int y = 0; y < rows; y++)
            {
                for (int x = 0; x < Width; x++)
                {
                    int bit = x * bits;
                    strip[y * stride + bit / 8] |= (byte)(indices[(top + y) * Width + x] << (8 - bits - bit % 8));
                }
            }
            strips.Add(strip);
        }
        const ushort Short = TiffEntriesWriter.Short;
        return TiffEntriesWriter.Write(bigEndian, strips,
        [
            (256, Short, [Width]), (257, Short, [Height]), (258, Short, [(uint)bits]), (259, Short, [1]), (262, Short, [3]),
            (277, Short, [1]), (278, Short, [RowsPerStrip]), (284, Short, [1]), (320, Short, map),
        ]);
    }
}
