create table if not exists audit (id identity primary key, name varchar(100) not null);
