from case_workbook.cli import main

raise SystemExit(main())
