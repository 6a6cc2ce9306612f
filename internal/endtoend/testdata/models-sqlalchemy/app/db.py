from sqlalchemy.orm import declarative_base

# Applications print while they are imported; schemagate reads its helper's
# output apart from theirs.
print("connecting to", "postgresql://localhost/app")

Base = declarative_base()
