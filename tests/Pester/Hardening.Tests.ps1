# Bad input and load: malformed files, many files with a few bad ones, Ctrl+C mid-batch, unwritable and full
# destinations, awkward names. Every case: a clear error naming the file, no crash or hang, no partial output.
BeforeDiscovery {
    $script:IsRoot = $IsLinux -and ((& id -u) -eq '0')
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-KMeansPSModulePath) -Force
    $script:Id = 'KMeansPS.Commands.CompressImageKMeansCommand'
    $script:IsRoot = $IsLinux -and ((& id -u) -eq '0')

    # A complete PNG ends with the IEND chunk; anything cut short does not.
    function Test-CompletePng([string] $Path) {
        $bytes = [IO.File]::ReadAllBytes($Path)
        $bytes.Length -gt 12 -and [Text.Encoding]::ASCII.GetString($bytes, $bytes.Length - 8, 4) -eq 'IEND'
    }

    function Get-LeftoverTemp([string] $Path) {
        Get-ChildItem -LiteralPath $Path -Recurse -Force -File | Where-Object Name -like '*.tmp'
    }
}

AfterAll {
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

Describe 'Malformed-file corpus' {
    BeforeAll {
        $script:corpus = Join-Path $TestDrive 'corpus'
        New-Item -ItemType Directory -Path $script:corpus | Out-Null
        $good = [IO.File]::ReadAllBytes((New-TestPng -Path (Join-Path $TestDrive 'good.png')).FullName)
        $jpeg = [IO.File]::ReadAllBytes((Get-SampleImagePath))
        $cases = [ordered]@{
            'zero.png'            = [byte[]]::new(0)
            'signature-only.png'  = $good[0..7]
            'header-cut.png'      = $good[0..20]
            'half.png'            = $good[0..($good.Length / 2)]
            'idat-cut.png'        = $good[0..($good.Length - 40)]
            'jpeg-cut.jpg'        = $jpeg[0..1000]
            'jpeg-header.jpg'     = $jpeg[0..3]
            'random.bin'          = [byte[]](1..4096 | ForEach-Object { Get-Random -Minimum 0 -Maximum 256 -SetSeed $_ })
            'text.png'            = [Text.Encoding]::UTF8.GetBytes('this is not an image')
        }
        # A PNG header claiming 100000 x 100000 pixels: refused before any pixel memory is taken.
        $huge = [byte[]]$good.Clone()
        foreach ($offset in 16, 20) { $huge[$offset] = 0; $huge[$offset + 1] = 0x01; $huge[$offset + 2] = 0x86; $huge[$offset + 3] = 0xA0 }
        $crc = [BitConverter]::GetBytes([uint32] (Get-Crc32 $huge[12..28])); [Array]::Reverse($crc)
        [Array]::Copy($crc, 0, $huge, 29, 4)
        $cases['huge-dimensions.png'] = $huge
        foreach ($name in $cases.Keys) { [IO.File]::WriteAllBytes((Join-Path $script:corpus $name), $cases[$name]) }
    }

    It 'reports every malformed file with a clear error and writes nothing' {
        $files = Get-ChildItem $script:corpus
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $results = $files | Compress-ImageKMeans -K 8 -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 60
        $results | Should -BeNullOrEmpty
        $errs.Count | Should -Be $files.Count
        foreach ($e in $errs) {
            $e.FullyQualifiedErrorId | Should -BeIn @("InvalidImage,$script:Id", "ImageTooLarge,$script:Id")
            $e.CategoryInfo.Category | Should -BeIn @('InvalidData', 'LimitsExceeded')
            $e.Exception.Message | Should -Match ([regex]::Escape([IO.Path]::GetFileName($e.TargetObject)))
        }
        ($errs | Where-Object { $_.TargetObject -like '*huge-dimensions.png' }).FullyQualifiedErrorId | Should -Be "ImageTooLarge,$script:Id"
        (Get-ChildItem $script:corpus).Count | Should -Be $files.Count
        Get-LeftoverTemp $script:corpus | Should -BeNullOrEmpty
    }

    It 'survives a bounded random-mutation run over valid files: no crash, no hang, no partial output' {
        $seedFiles = @(
            (New-TestPng -Path (Join-Path $TestDrive 'm1.png')).FullName
            (New-TestPng -Path (Join-Path $TestDrive 'm2.png') -Transparent).FullName
            (Get-SampleImagePath)
        )
        $mutants = Join-Path $TestDrive 'mutants'
        New-Item -ItemType Directory -Path $mutants | Out-Null
        $random = [Random]::new(20261125)
        for ($i = 0; $i -lt 60; $i++) {
            $bytes = [IO.File]::ReadAllBytes($seedFiles[$i % $seedFiles.Count])
            $flips = 1 + $random.Next(16)
            for ($f = 0; $f -lt $flips; $f++) { $bytes[$random.Next($bytes.Length)] = [byte] $random.Next(256) }
            if ($i % 5 -eq 0) { $bytes = $bytes[0..($random.Next($bytes.Length))] }
            [IO.File]::WriteAllBytes((Join-Path $mutants ("mutant{0:D2}{1}" -f $i, [IO.Path]::GetExtension($seedFiles[$i % $seedFiles.Count]))), $bytes)
        }
        $inputs = Get-ChildItem $mutants
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $results = $inputs | Compress-ImageKMeans -K 8 -Seed 1 -Destination (Join-Path $TestDrive 'mutant-out') -ErrorVariable errs -ErrorAction SilentlyContinue
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 120
        (@($results).Count + $errs.Count) | Should -Be $inputs.Count
        foreach ($e in $errs) {
            $e.FullyQualifiedErrorId | Should -BeIn @("InvalidImage,$script:Id", "ImageTooLarge,$script:Id")
        }
        foreach ($r in $results) { Test-CompletePng $r.Destination | Should -BeTrue }
        if (Test-Path (Join-Path $TestDrive 'mutant-out')) {
            (Get-ChildItem (Join-Path $TestDrive 'mutant-out')).Count | Should -Be @($results).Count
            Get-LeftoverTemp (Join-Path $TestDrive 'mutant-out') | Should -BeNullOrEmpty
        }
    }
}

Describe 'Many files' {
    It 'does 1,000 files with a few bad ones: every good file done, every bad one reported, memory flat' {
        $dir = Join-Path $TestDrive 'thousand'
        New-Item -ItemType Directory -Path $dir | Out-Null
        $template = (New-TestPng -Path (Join-Path $TestDrive 'small.png') -Width 24 -Height 16).FullName
        $bad = 17, 401, 777, 999
        for ($i = 0; $i -lt 1000; $i++) {
            $path = Join-Path $dir ('f{0:D4}.png' -f $i)
            if ($i -in $bad) { Set-Content -Path $path -Value "broken $i" } else { Copy-Item -LiteralPath $template -Destination $path }
        }
        $out = Join-Path $TestDrive 'thousand-out'
        $script:count = 0
        $script:heap = @{}
        Get-ChildItem $dir | Compress-ImageKMeans -K 4 -Seed 1 -Destination $out -ErrorVariable errs -ErrorAction SilentlyContinue | ForEach-Object {
            $script:count++
            if ($script:count -in 200, 990) { $script:heap[$script:count] = [GC]::GetTotalMemory($true) }
        }
        $script:count | Should -Be 996
        $errs.Count | Should -Be 4
        ($errs.TargetObject | ForEach-Object { [IO.Path]::GetFileName($_) }) | Should -Be @('f0017.png', 'f0401.png', 'f0777.png', 'f0999.png')
        (Get-ChildItem $out).Count | Should -Be 996
        # Results are written and dropped as they come: the managed heap does not grow with the file count.
        ($script:heap[990] - $script:heap[200]) / 1MB | Should -BeLessThan 16
    }
}

Describe 'Stopping mid-batch' {
    It 'leaves no partial or temporary file when the pipeline is stopped' {
        $dir = Join-Path $TestDrive 'stop'
        New-Item -ItemType Directory -Path $dir | Out-Null
        for ($i = 0; $i -lt 40; $i++) { Copy-Item -LiteralPath (Get-SampleImagePath) -Destination (Join-Path $dir "p$i.jpg") }
        $out = Join-Path $TestDrive 'stop-out'
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$(Get-KMeansPSModulePath)'; Get-ChildItem '$dir' | Compress-ImageKMeans -K 256 -Dither FloydSteinberg -Destination '$out' -ThrottleLimit 2 -Seed 1")
        $handle = $ps.BeginInvoke()
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (-not (Test-Path $out) -or @(Get-ChildItem $out -Filter '*.png').Count -lt 2) {
            if ([DateTime]::UtcNow -gt $deadline) { break }
            Start-Sleep -Milliseconds 20
        }
        $ps.Stop()
        $handle.IsCompleted | Should -BeTrue
        $ps.Dispose()
        $written = @(Get-ChildItem $out -Filter '*.png')
        $written.Count | Should -BeGreaterThan 0
        $written.Count | Should -BeLessThan 40
        foreach ($f in $written) { Test-CompletePng $f.FullName | Should -BeTrue }
        Get-LeftoverTemp $out | Should -BeNullOrEmpty
    }
}

Describe 'Unwritable destinations' {
    It 'reports a read-only destination folder as an error naming the file, and leaves nothing behind' -Skip:(-not $IsLinux) {
        $ro = Join-Path $TestDrive 'readonly'
        New-Item -ItemType Directory -Path $ro | Out-Null
        $src = (New-TestPng -Path (Join-Path $TestDrive 'ro-src.png')).FullName
        if ($script:IsRoot) { & chattr +i $ro } else { & chmod 555 $ro }
        try {
            $null = Compress-ImageKMeans -LiteralPath $src -K 8 -Seed 1 -Destination $ro -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeIn @("FileWriteError,$script:Id", "UnauthorizedAccess,$script:Id")
            $errs[0].CategoryInfo.Category | Should -BeIn @('WriteError', 'PermissionDenied')
            $errs[0].TargetObject | Should -Be $src
        }
        finally {
            if ($script:IsRoot) { & chattr -i $ro } else { & chmod 755 $ro }
        }
        Get-ChildItem $ro -Force | Should -BeNullOrEmpty
    }

    It 'reports a full disk as a WriteError and leaves no partial file' -Skip:(-not $script:IsRoot) {
        $full = Join-Path $TestDrive 'full'
        New-Item -ItemType Directory -Path $full | Out-Null
        & mount -t tmpfs -o size=32k tmpfs $full
        $LASTEXITCODE | Should -Be 0
        try {
            $null = Compress-ImageKMeans -LiteralPath (Get-SampleImagePath) -K 64 -Seed 1 -Destination $full -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be "FileWriteError,$script:Id"
            $errs[0].CategoryInfo.Category | Should -Be 'WriteError'
            Get-ChildItem $full -Force | Should -BeNullOrEmpty
        }
        finally {
            & umount $full
        }
    }
}

Describe 'Awkward names' {
    It 'handles <Name>' -ForEach @(
        @{ Name = 'spaces in name.png' }
        @{ Name = 'unicodé ünïcode 画像.png' }
        @{ Name = 'star*and?mark.png' }
        @{ Name = '[brackets].png' }
    ) {
        if ($IsWindows -and $Name -match '[*?]') { return }
        $dir = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path $dir | Out-Null
        $path = Join-Path $dir $Name
        $null = New-TestPng -Path $path
        $r = Compress-ImageKMeans -LiteralPath $path -K 8 -Seed 1
        $r.Path | Should -Be $path
        Test-Path -LiteralPath $r.Destination | Should -BeTrue
        [IO.Path]::GetFileName($r.Destination) | Should -Be ([IO.Path]::GetFileNameWithoutExtension($Name) + '-k8.png')
    }

    It 'treats -LiteralPath wildcards as characters and -Path wildcards as patterns' {
        $dir = Join-Path $TestDrive 'wild'
        New-Item -ItemType Directory -Path $dir | Out-Null
        $null = New-TestPng -Path (Join-Path $dir 'a[1].png')
        $null = New-TestPng -Path (Join-Path $dir 'a1.png')
        $literal = Compress-ImageKMeans -LiteralPath (Join-Path $dir 'a[1].png') -K 8 -Seed 1
        $literal.Path | Should -Be (Join-Path $dir 'a[1].png')
        $pattern = Compress-ImageKMeans -Path (Join-Path $dir 'a[1].png') -K 8 -Seed 1 -Force
        $pattern.Path | Should -Be (Join-Path $dir 'a1.png')
    }
}
