using System.Buffers.Binary;
using System.Text;

namespace KMeansPS.Imaging.Tests.Png;

/// <summary>One chunk of a PNG file, parsed independently of any decoder.</summary>
internal sealed record PngChunk(string Type, byte[] Data, uint Crc)
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static List<PngChunk> Parse(byte[] file)
    {
        Assert.True(file.AsSpan(0, 8).SequenceEqual(Signature), "PNG signature");
        var chunks = new List<PngChunk>();
        int p = 8;
        while (p < file.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(p));
            string type = Encoding.ASCII.GetString(file, p + 4, 4);
            byte[] data = file.AsSpan(p + 8, length).ToArray();
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(p + 8 + length));
            chunks.Add(new PngChunk(type, data, crc));
            p += 12 + length;
        }
        Assert.Equal(file.Length, p);
        return chunks;
    }
}
