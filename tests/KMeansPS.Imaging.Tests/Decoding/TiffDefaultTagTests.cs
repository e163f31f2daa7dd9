using System.Buffers.Binary;
using KMeansPS.Imaging.Decoding;

namespace KMeansPS.Imaging.Tests.Decoding;

/// <summary>
/// A bilevel TIFF that leaves BitsPerSample (and SamplesPerPixel) at their default of 1, as PIL writes it, is read:
/// ImageSharp 2.1 failed on it ("damaged or of a kind it does not read"), while libtiff, PIL and ImageMagick read it.
/// </summary>
public sealed class TiffDefaultTagTests
{
    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 1)]
    [InlineData(true, 0)]
    [InlineData(false, 0)]
    public void ABilevelTiffWithoutBitsPerSampleIsReadAsOneBit(bool littleEndian, int photometric)
    {
        const int width = 53, height = 31, stride = (width + 7) / 8;
        var random = new Random(photometric * 2 + (littleEndian ? 1 : 0));
        byte[] rows = new byte[stride * height];
        random.NextBytes(rows);
        byte[] file = Bilevel(width, height, rows, littleEndian, photometric);
        RgbaImage image = ImageDecoder.Decode(new MemoryStream(file), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(width, image.Width);
        Assert.Equal(height, image.Height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                bool set = (rows[y * stride + x / 8] & (0x80 >> (x % 8))) != 0;
                byte expected = set == (photometric == 1) ? (byte)255 : (byte)0; // MinIsBlack: 1 is white
                Assert.Equal(expected, image.Pixels[y * width + x].R);
            }
        }
    }

    /// <summary>An uncompressed one-strip TIFF whose directory has no BitsPerSample or SamplesPerPixel entry.</summary>
    private static byte[] Bilevel(int width, int height, byte[] rows, bool little, int photometric)
    {
        var file = new List<byte>(little ? "II"u8.ToArray() : "MM"u8.ToArray());
        void Put(long value, int size)
        {
            Span<byte> b = stackalloc byte[size];
            if (size == 2 && little) BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)value);
            else if (size == 2) BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)value);
            else if (little) BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)value);
            else BinaryPrimitives.WriteUInt32BigEndian(b, (uint)value);
            file.AddRange(b.ToArray());
        }
        Put(42, 2);
        Put(8 + rows.Length + (rows.Length & 1), 4);
        file.AddRange(rows);
        if ((rows.Length & 1) != 0) file.Add(0);
        // As PIL writes a bilevel image: no BitsPerSample, no SamplesPerPixel.
        (int Tag, int Type, int Value)[] entries =
            [(256, 4, width), (257, 4, height), (259, 3, 1), (262, 3, photometric), (273, 4, 8), (278, 4, height), (279, 4, rows.Length), (284, 3, 1)];
        Put(entries.Length, 2);
        foreach ((int tag, int type, int value) in entries)
        {
            Put(tag, 2);
            Put(type, 2);
            Put(1, 4);
            if (type == 3)
            {
                Put(value, 2); // a SHORT sits in the first two of the value's four bytes
                Put(0, 2);
            }
            else Put(value, 4);
        }
        Put(0, 4);
        return file.ToArray();
    }
}
