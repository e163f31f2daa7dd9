namespace KMeansPS.Imaging.Jpeg;

/// <summary>Marker codes (the byte after 0xFF, T.81 table B.1) and how to find the next marker in the data.</summary>
internal static class JpegMarkers
{
    internal const int Sof0 = 0xC0, Sof1 = 0xC1, Sof2 = 0xC2, Dht = 0xC4, Jpg = 0xC8, Dac = 0xCC;
    internal const int Rst0 = 0xD0, Rst7 = 0xD7, Soi = 0xD8, Eoi = 0xD9, Sos = 0xDA, Dqt = 0xDB, Dnl = 0xDC, Dri = 0xDD;
    internal const int Dhp = 0xDE, Exp = 0xDF, App0 = 0xE0, App15 = 0xEF, Jpg0 = 0xF0, Jpg13 = 0xFD, Com = 0xFE, Tem = 0x01;

    /// <summary>
    /// The next marker at or after <paramref name="from"/>: skips bytes that are not markers (as libjpeg does,
    /// which warns about them), fill bytes (0xFF repeated) and stuffed 0xFF 0x00 pairs. Returns the marker code
    /// and the offset of its code byte, or (-1, data length) when the data ends first.
    /// </summary>
    internal static (int Code, int At) Find(byte[] data, int from)
    {
        int p = Math.Max(from, 0);
        while (true)
        {
            int ff = p < data.Length ? Array.IndexOf(data, (byte)0xFF, p) : -1;
            if (ff < 0) return (-1, data.Length);
            p = ff + 1;
            while (p < data.Length && data[p] == 0xFF) p++;
            if (p >= data.Length) return (-1, data.Length);
            if (data[p] != 0) return (data[p], p);
            p++;
        }
    }

    /// <summary>
    /// The bytes <see cref="Find"/> skips from <paramref name="from"/>: where they end (the first 0xFF of the run
    /// before the next marker, or the data's length) and how many bytes of data they are (a stuffed 0xFF 0x00 is one).
    /// </summary>
    internal static (int End, long Bytes) DataBefore(byte[] data, int from)
    {
        long bytes = 0;
        int p = Math.Max(from, 0);
        while (p < data.Length)
        {
            if (data[p] != 0xFF)
            {
                p++;
                bytes++;
                continue;
            }
            int run = p;
            while (p < data.Length && data[p] == 0xFF) p++;
            if (p >= data.Length || data[p] != 0) return (run, bytes);
            p++; // stuffed: one byte of data however many fill bytes came before its 0x00, as Find reads on past them
            bytes++;
        }
        return (data.Length, bytes);
    }

    /// <summary>A marker's name for messages.</summary>
    internal static string Name(int code) => code switch
    {
        Sof0 or Sof1 or Sof2 => "frame header (SOF)",
        Dht => "Huffman table (DHT)",
        Dqt => "quantization table (DQT)",
        Dri => "restart interval (DRI)",
        Sos => "scan header (SOS)",
        Com => "comment (COM)",
        >= App0 and <= App15 => $"APP{code - App0}",
        _ => $"FF {code:X2}",
    };
}
