using System.Buffers.Binary;
using KMeansPS.Imaging.Decoding;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Decoding;

/// <summary>
/// The 5-bit channels of 15 and 16-bit TGAs (true-colour pixels, raw and run-length, and 16-bit colour map entries) at
/// 8 bits as ImageMagick 6.9 and PIL 9.4 expand them: v * 255 / 31 rounded down (checked against both on these files;
/// PIL reads no 15-bit file). ImageSharp 2.1 rounded to nearest: 26 came out 214 where they give 213.
/// </summary>
public sealed class TgaFiveBitChannelTests
{
    [Theory]
    [InlineData(15, false)]
    [InlineData(16, false)]
    [InlineData(15, true)]
    [InlineData(16, true)]
    public void EveryFiveBitValueOfATrueColourPixelIsExpandedAsTheReadersExpandIt(int depth, bool runLength)
    {
        ushort[] words = Words();
        byte[] data = new byte[2 * words.Length];
        for (int i = 0; i < words.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2 * i), words[i]);
        var file = new List<byte>(Header((byte)(runLength ? 10 : 2), words.Length, (byte)depth));
        if (!runLength) file.AddRange(data);
        else
            for (int i = 0; i < words.Length; i++)
            {
                file.Add(0x80); // a run of one
                file.AddRange(data.AsSpan(2 * i, 2).ToArray());
            }
        Assert.Equal(words.Select(Expected).ToArray(), Decode([.. file], words.Length));
    }

    [Fact]
    public void EveryFiveBitValueOfA16BitColourMapEntryIsExpandedAsTheReadersExpandIt()
    {
        ushort[] words = Words();
        byte[] header = Header(1, words.Length, 8);
        header[1] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(5), (ushort)words.Length);
        header[7] = 16;
        var file = new List<byte>(header);
        foreach (ushort w in words) file.AddRange(BitConverter.GetBytes(w));
        for (int i = 0; i < words.Length; i++) file.Add((byte)i);
        Assert.Equal(words.Select(Expected).ToArray(), Decode([.. file], words.Length));
    }

    /// <summary>Every 5-bit value in each channel (red v, green 31 - v, blue 7v mod 32), top bit set (opaque).</summary>
    private static ushort[] Words() =>
        Enumerable.Range(0, 32).Select(v => (ushort)(0x8000 | v << 10 | (31 - v) << 5 | (7 * v % 32))).ToArray();

    private static Rgba32 Expected(ushort w) => new((byte)(((w >> 10) & 31) * 255 / 31), (byte)(((w >> 5) & 31) * 255 / 31), (byte)((w & 31) * 255 / 31), 255);

    /// <summary>A top-down header of one row, 1 attribute bit.</summary>
    private static byte[] Header(byte imageType, int width, byte depth)
    {
        byte[] header = new byte[18];
        header[2] = imageType;
        header[12] = (byte)width;
        header[14] = 1;
        header[16] = depth;
        header[17] = 0x21;
        return header;
    }

    private static Rgba32[] Decode(byte[] file, int pixels) =>
        ImageDecoder.Decode(new MemoryStream(file), cancellationToken: TestContext.Current.CancellationToken).Pixels[..pixels];
}
