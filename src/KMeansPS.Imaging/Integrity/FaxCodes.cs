namespace KMeansPS.Imaging.Integrity;

/// <summary>
/// The run-length codes of ITU-T T.4 (tables 2 and 3, and the extended make-up codes of table 3a shared by both
/// colours), which Modified Huffman, T.4 and T.6 horizontal mode all use, as lookup tables indexed by the next
/// <see cref="LookupBits"/> bits of the data (most significant first): each entry is a run length and its code's
/// length, or 0 where those bits start no code.
/// </summary>
internal static class FaxCodes
{
    /// <summary>The longest code (black make-up codes of 13 bits); a lookup reads this many bits ahead.</summary>
    public const int LookupBits = 13;

    /// <summary>Runs below this end a run (terminating codes); longer ones are make-up codes, which a terminating code follows.</summary>
    public const int MakeUpStart = 64;

    /// <summary>White runs: an entry's run in its low 16 bits, its code's length above them; 0 for no code.</summary>
    public static readonly int[] White = Lookup(WhiteTerminating(), WhiteMakeUp());

    /// <summary>Black runs, as <see cref="White"/>.</summary>
    public static readonly int[] Black = Lookup(BlackTerminating(), BlackMakeUp());

    /// <summary>Terminating codes for white runs of 0 to 63 pixels (T.4 table 2), indexed by the run.</summary>
    private static string[] WhiteTerminating() =>
    [
        "00110101", "000111", "0111", "1000", "1011", "1100", "1110", "1111",
        "10011", "10100", "00111", "01000", "001000", "000011", "110100", "110101",
        "101010", "101011", "0100111", "0001100", "0001000", "0010111", "0000011", "0000100",
        "0101000", "0101011", "0010011", "0100100", "0011000", "00000010", "00000011", "00011010",
        "00011011", "00010010", "00010011", "00010100", "00010101", "00010110", "00010111", "00101000",
        "00101001", "00101010", "00101011", "00101100", "00101101", "00000100", "00000101", "00001010",
        "00001011", "01010010", "01010011", "01010100", "01010101", "00100100", "00100101", "01011000",
        "01011001", "01011010", "01011011", "01001010", "01001011", "00110010", "00110011", "00110100",
    ];

    /// <summary>Terminating codes for black runs of 0 to 63 pixels (T.4 table 2).</summary>
    private static string[] BlackTerminating() =>
    [
        "0000110111", "010", "11", "10", "011", "0011", "0010", "00011",
        "000101", "000100", "0000100", "0000101", "0000111", "00000100", "00000111", "000011000",
        "0000010111", "0000011000", "0000001000", "00001100111", "00001101000", "00001101100", "00000110111", "00000101000",
        "00000010111", "00000011000", "000011001010", "000011001011", "000011001100", "000011001101", "000001101000", "000001101001",
        "000001101010", "000001101011", "000011010010", "000011010011", "000011010100", "000011010101", "000011010110", "000011010111",
        "000001101100", "000001101101", "000011011010", "000011011011", "000001010100", "000001010101", "000001010110", "000001010111",
        "000001100100", "000001100101", "000001010010", "000001010011", "000000100100", "000000110111", "000000111000", "000000100111",
        "000000101000", "000001011000", "000001011001", "000000101011", "000000101100", "000001011010", "000001100110", "000001100111",
    ];

    /// <summary>Make-up codes for white runs of 64, 128, ... 1,728 pixels (T.4 table 3), indexed by run / 64 - 1.</summary>
    private static string[] WhiteMakeUp() =>
    [
        "11011", "10010", "010111", "0110111", "00110110", "00110111", "01100100", "01100101",
        "01101000", "01100111", "011001100", "011001101", "011010010", "011010011", "011010100", "011010101",
        "011010110", "011010111", "011011000", "011011001", "011011010", "011011011", "010011000", "010011001",
        "010011010", "011000", "010011011",
    ];

    /// <summary>Make-up codes for black runs of 64 to 1,728 pixels (T.4 table 3).</summary>
    private static string[] BlackMakeUp() =>
    [
        "0000001111", "000011001000", "000011001001", "000001011011", "000000110011", "000000110100", "000000110101", "0000001101100",
        "0000001101101", "0000001001010", "0000001001011", "0000001001100", "0000001001101", "0000001110010", "0000001110011", "0000001110100",
        "0000001110101", "0000001110110", "0000001110111", "0000001010010", "0000001010011", "0000001010100", "0000001010101", "0000001011010",
        "0000001011011", "0000001100100", "0000001100101",
    ];

    /// <summary>Extended make-up codes for runs of 1,792 to 2,560 pixels of either colour (T.4 table 3a), run / 64 - 28.</summary>
    private static string[] ExtendedMakeUp() =>
    [
        "00000001000", "00000001100", "00000001101", "000000010010", "000000010011", "000000010100", "000000010101",
        "000000010110", "000000010111", "000000011100", "000000011101", "000000011110", "000000011111",
    ];

    /// <summary>
    /// Every <see cref="LookupBits"/>-bit value that starts with a code gets that code's entry. The codes of one colour
    /// are a prefix code, so no two fill the same slot: a clash is a mistake in the tables above, thrown here (and
    /// caught by the tests before any file is read).
    /// </summary>
    private static int[] Lookup(string[] terminating, string[] makeUp)
    {
        int[] table = new int[1 << LookupBits];
        string[] extended = ExtendedMakeUp();
        for (int i = 0; i < terminating.Length; i++) Add(table, terminating[i], i);
        for (int i = 0; i < makeUp.Length; i++) Add(table, makeUp[i], (i + 1) * MakeUpStart);
        for (int i = 0; i < extended.Length; i++) Add(table, extended[i], (i + 28) * MakeUpStart);
        return table;
    }

    private static void Add(int[] table, string code, int run)
    {
        int value = Convert.ToInt32(code, 2), free = LookupBits - code.Length;
        for (int tail = 0; tail < 1 << free; tail++)
        {
            int slot = (value << free) | tail;
            if (table[slot] != 0) throw new InvalidOperationException($"the fax code {code} for a run of {run} overlaps another");
            table[slot] = run | code.Length << 16;
        }
    }
}
