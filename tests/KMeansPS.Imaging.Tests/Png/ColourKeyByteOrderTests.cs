using System.Buffers.Binary;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Png;
using KMeansPS.Imaging.Tests.Corpus;
using KMeansPS.Imaging.Tests.Integrity;

namespace KMeansPS.Imaging.Tests.Png;

/// <summary>
/// A 16-bit grey or RGB PNG's transparent colour key: exactly the pixels equal to it are transparent, as libpng reads
/// the file. Seeded images whose key's two bytes differ (ImageSharp 2.1 alone reads the key byte-swapped, which these
/// tests also show) and whose pixels hold the byte-swapped key too.
/// </summary>
public class ColourKeyByteOrderTests
{
    private static byte[] Png(int width, int height, byte colorType, ushort[] samples, ushort[] key) => PngWriter.Assemble(
    [
        ("IHDR", PngWriter.Header(width, height, 16, colorType)),
        ("tRNS", key.SelectMany(k => new[] { (byte)(k >> 8), (byte)k }).ToArray()),
        ("IDAT", PngWriter.Zlib(Enumerable.Range(0, height).SelectMany(y => new byte[] { 0 }.Concat(
            samples.Skip(y * width * (colorType == 2 ? 3 : 1)).Take(width * (colorType == 2 ? 3 : 1)).SelectMany(v => new[] { (byte)(v >> 8), (byte)v }))).ToArray())),
        ("IEND", []),
    ]);

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Exactly_the_pixels_equal_to_the_key_are_transparent(byte colorType)
    {
        var random = new Random(1206 + colorType);
        int channels = colorType == 2 ? 3 : 1, misreadFiles = 0;
        for (int file = 0; file < 40; file++)
        {
            int width = random.Next(1, 17), height = random.Next(1, 9);
            ushort[] key = Enumerable.Range(0, channels).Select(_ => (ushort)random.Next(256, 65536)).Where(v => (v >> 8) != (v & 0xFF)).ToArray();
            if (key.Length != channels) continue;
            ushort[] swapped = key.Select(v => BinaryPrimitives.ReverseEndianness(v)).ToArray();
            var samples = new ushort[width * height * channels];
            var keyed = new bool[width * height];
            for (int i = 0; i < width * height; i++)
            {
                int pick = random.Next(4); // the key, its byte-swapped value, or another colour
                ushort[] value = pick == 0 ? key : pick == 1 ? swapped : Enumerable.Range(0, channels).Select(_ => (ushort)random.Next(65536)).ToArray();
                value.CopyTo(samples, i * channels);
                keyed[i] = value.SequenceEqual(key);
            }
            byte[] png = Png(width, height, colorType, samples, key);
            RgbaImage image = ImageDecoder.Decode(png, 1 << 20, "key.png", CancellationToken.None);
            for (int i = 0; i < keyed.Length; i++)
                Assert.True((image.Pixels[i].A == 0) == keyed[i], $"file {file}, pixel {i}: alpha {image.Pixels[i].A}, keyed {keyed[i]}");
            // ImageSharp alone gets some of these wrong: the quirk this works around is real.
            var alone = ImageSharpOracle.Decode(png).Frames![0];
            if (Enumerable.Range(0, keyed.Length).Any(i => (alone[i].A == 0) != keyed[i])) misreadFiles++;
        }
        Assert.True(misreadFiles > 10, $"ImageSharp misread {misreadFiles} files");
    }

    [Fact]
    public void Other_files_are_handed_on_as_they_are()
    {
        byte[] eightBit = PngWriter.Assemble([("IHDR", PngWriter.Header(2, 1, 8, 0)), ("tRNS", [0, 7]), ("IDAT", PngWriter.Zlib([0, 7, 8])), ("IEND", [])]);
        Assert.Same(eightBit, ColourKeyByteOrder.ForImageSharp(eightBit));
        byte[] noKey = PngWriter.Assemble([("IHDR", PngWriter.Header(1, 1, 16, 0)), ("IDAT", PngWriter.Zlib([0, 1, 2])), ("IEND", [])]);
        Assert.Same(noKey, ColourKeyByteOrder.ForImageSharp(noKey));
        byte[] keyAfterData = PngWriter.Assemble([("IHDR", PngWriter.Header(1, 1, 16, 0)), ("IDAT", PngWriter.Zlib([0, 1, 2])), ("tRNS", [1, 2]), ("IEND", [])]);
        Assert.Same(keyAfterData, ColourKeyByteOrder.ForImageSharp(keyAfterData));
    }
}
