using System.Buffers.Binary;

namespace KMeansPS.Imaging.Tests.Corpus;

/// <summary>
/// Writes a classic TIFF of either byte order from its strips and its directory's entries (SHORT or LONG values,
/// any number of them), for layouts the other writers do not make: palette maps, floating-point samples, a predictor.
/// The strips follow the header, then the values that do not fit in their entries, then the directory;
/// StripOffsets and StripByteCounts are filled in.
/// </summary>
internal static class TiffEntriesWriter
{
    public const ushort Short = 3, Long = 4;

    public static byte[] Write(bool bigEndian, IReadOnlyList<byte[]> strips, IEnumerable<(ushort Tag, ushort Type, uint[] Values)> entries)
    {
        var file = new List<byte>(bigEndian ? "MM\0*\0\0\0\0"u8.ToArray() : "II*\0\0\0\0\0"u8.ToArray());
        var offsets = new List<uint>();
        foreach (byte[] strip in strips)
        {
            offsets.Add((uint)file.Count);
            file.AddRange(strip);
            if ((file.Count & 1) != 0) file.Add(0);
        }
        var all = new List<(ushort Tag, ushort Type, uint[] Values)>(entries)
        {
            (273, Long, [.. offsets]),
            (279, Long, [.. strips.Select(strip => (uint)strip.Length)]),
        };
        all.Sort((a, b) => a.Tag.CompareTo(b.Tag));
        var fields = new List<byte[]>();
        foreach ((ushort tag, ushort type, uint[] values) in all)
        {
            int size = type == Short ? 2 : 4;
            byte[] data = new byte[Math.Max(4, size * values.Length)];
            for (int i = 0; i < values.Length; i++)
            {
                if (size == 2) Put16(data, 2 * i, (ushort)values[i], bigEndian);
                else Put32(data, 4 * i, values[i], bigEndian);
            }
            if (data.Length > 4)
            {
                uint at = (uint)file.Count;
                file.AddRange(data);
                data = new byte[4];
                Put32(data, 0, at, bigEndian);
            }
            byte[] entry = new byte[12];
            Put16(entry, 0, tag, bigEndian);
            Put16(entry, 2, type, bigEndian);
            Put32(entry, 4, (uint)values.Length, bigEndian);
            data.CopyTo(entry, 8);
            fields.Add(entry);
        }
        if ((file.Count & 1) != 0) file.Add(0);
        int ifd = file.Count;
        byte[] count = new byte[2];
        Put16(count, 0, (ushort)fields.Count, bigEndian);
        file.AddRange(count);
        foreach (byte[] entry in fields) file.AddRange(entry);
        file.AddRange(new byte[4]);
        byte[] bytes = [.. file];
        Put32(bytes, 4, (uint)ifd, bigEndian);
        return bytes;
    }

    private static void Put16(byte[] b, int at, ushort v, bool bigEndian)
    {
        if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(at), v);
        else BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at), v);
    }

    private static void Put32(byte[] b, int at, uint v, bool bigEndian)
    {
        if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at), v);
        else BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), v);
    }
}
