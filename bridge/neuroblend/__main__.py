from neuroblend.cli import main

raise SystemExit(main())
